package org.p2pchat.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Receives datagrams from a {@link Transport}, on the thread that polls it. */
@FunctionalInterface
public interface DatagramHandler {

  /**
   * Handles one datagram.
   *
   * @param datagram the datagram's bytes between position and limit; valid only for the
   *     duration of the call (the transport reuses the buffer)
   * @param sender where it came from
   */
  void onDatagram(ByteBuffer datagram, InetSocketAddress sender);
}
