/** The transport contract: datagrams to and from socket addresses, polled by an event loop. */
package org.p2pchat.api.transport;
