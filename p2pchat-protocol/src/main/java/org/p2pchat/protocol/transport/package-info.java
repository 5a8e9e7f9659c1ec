/**
 * The UDP transport, on a NIO {@code DatagramChannel}. In-memory and fault-injecting transports
 * for tests are in the {@code p2pchat-testing} artifact.
 */
package org.p2pchat.protocol.transport;
