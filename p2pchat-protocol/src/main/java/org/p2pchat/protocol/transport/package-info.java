/** Transports: UDP on a NIO {@code DatagramChannel}, and an in-memory network for tests. */
package org.p2pchat.protocol.transport;
