/** The client facade: what an application calls to chat, and how it hears of new messages. */
package org.p2pchat.api.client;
