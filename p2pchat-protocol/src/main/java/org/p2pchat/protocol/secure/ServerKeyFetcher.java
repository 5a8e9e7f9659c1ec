package org.p2pchat.protocol.secure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.protocol.secure.internal.Packets;

/**
 * Asks a server for its static public key (a {@code KEY_REQUEST} packet), for trust on first
 * use as SSH does it. The answer is <em>not</em> authenticated: whoever answers may be a man in
 * the middle. Use it only to learn a key the first time, or to notice that a known key has
 * changed; talk with the key you trust, never with one fetched just now without checking it.
 *
 * <p>Thread-safe (stateless).
 */
public final class ServerKeyFetcher {
  private static final int ATTEMPTS = 3;

  private ServerKeyFetcher() {}

  /**
   * The key the server at {@code server} says it has.
   *
   * @param timeout how long to wait in all; the request is sent up to three times
   * @throws IOException when no valid answer arrived in time, or no socket could be opened
   */
  public static ServerPublicKey fetch(InetSocketAddress server, Duration timeout) throws IOException {
    if (server.isUnresolved()) {
      throw new IOException("cannot resolve the server's host name: " + server.getHostString());
    }
    try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
      channel.bind(null);
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      ByteBuffer request = ByteBuffer.allocate(Packets.KEY_REQUEST_BYTES);
      request.put(0, Packets.KEY_REQUEST);
      ByteBuffer reply = ByteBuffer.allocate(Packets.KEY_REPLY_BYTES + 1);
      long perAttemptMillis = Math.max(1, timeout.toMillis() / ATTEMPTS);
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        channel.send(request.clear(), server);
        long deadline = System.nanoTime() + perAttemptMillis * 1_000_000;
        long left;
        while ((left = (deadline - System.nanoTime()) / 1_000_000) > 0) {
          selector.select(left);
          selector.selectedKeys().clear();
          SocketAddress from;
          while ((from = channel.receive(reply.clear())) != null) {
            reply.flip();
            if (server.equals(from) && reply.remaining() == Packets.KEY_REPLY_BYTES
                && reply.get(0) == Packets.KEY_REPLY) {
              return ServerPublicKey.of(Arrays.copyOfRange(reply.array(), 1, Packets.KEY_REPLY_BYTES));
            }
          }
        }
      }
    }
    throw new IOException("the server at " + server.getHostString() + ":" + server.getPort()
        + " did not say its key within " + timeout.toMillis() + " ms");
  }
}
