/** The server facade: a running chat server as its owner sees it. */
package org.p2pchat.api.server;
