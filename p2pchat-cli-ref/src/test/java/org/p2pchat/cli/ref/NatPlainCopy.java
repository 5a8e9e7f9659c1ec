package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The baseline of {@link NatFileRates}: the same bytes over one UDP socket pair, as plainly as a
 * copy can be made reliable. The two ends punch through their NATs to each other's public
 * address (both send first), then the sender keeps a fixed window of 256 chunks of 1024 bytes in
 * flight, each with its offset, and the receiver acknowledges the contiguous prefix every second
 * chunk (and at once on a chunk out of order); on the third acknowledgement of the same prefix,
 * or after 50 ms without progress, the sender goes back to the prefix (go-back-N with fast
 * retransmit). No encryption, no congestion control, no file: what the path carries when nothing
 * else costs.
 *
 * <p>Arguments: {@code send|receive LOCAL_PORT PEER_IP PEER_PORT BYTES}. Prints {@code OK n bytes
 * in s s, r MB/s}.
 */
public final class NatPlainCopy {
  private static final int CHUNK = 1024;
  private static final int WINDOW = 256;

  private NatPlainCopy() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    boolean sender = args[0].equals("send");
    InetSocketAddress peer = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
    long total = Long.parseLong(args[4]);
    try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
      ch.bind(new InetSocketAddress(Integer.parseInt(args[1])));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteBuffer in = ByteBuffer.allocate(2048);
      ByteBuffer out = ByteBuffer.allocate(CHUNK + 8);
      // Punch: both ends send until they heard the other (a punch, an ack or a chunk).
      boolean heard = false;
      for (int i = 0; i < 400 && !heard; i++) {
        ch.send(ByteBuffer.wrap(new byte[] {'p'}), peer);
        if (selector.select(25) > 0) {
          selector.selectedKeys().clear();
          in.clear();
          heard = ch.receive(in) != null;
        }
      }
      for (int i = 0; i < 5; i++) {
        ch.send(ByteBuffer.wrap(new byte[] {'p'}), peer); // so that the other hears us too
      }
      if (!heard) {
        System.out.println("FAIL no punch came through");
        return;
      }
      long started = System.nanoTime();
      if (sender) {
        long acked = 0;
        long next = 0;
        long lastProgress = System.nanoTime();
        int sameAcks = 0;
        while (acked < total) {
          while (next < total && next - acked < (long) WINDOW * CHUNK) {
            out.clear();
            out.putLong(next);
            int n = (int) Math.min(CHUNK, total - next);
            out.put(new byte[n]).flip();
            ch.send(out, peer);
            next += n;
          }
          if (selector.select(5) > 0) {
            selector.selectedKeys().clear();
            in.clear();
            while (ch.receive(in) != null) {
              in.flip();
              if (in.remaining() == 8) {
                long prefix = in.getLong();
                if (prefix > acked) {
                  acked = prefix;
                  sameAcks = 0;
                  lastProgress = System.nanoTime();
                } else if (prefix == acked && ++sameAcks == 3 && next > acked) {
                  next = acked; // a chunk was lost: resend from it at once
                }
              }
              in.clear();
            }
          }
          if (System.nanoTime() - lastProgress > 50_000_000L) {
            next = acked; // go back to what the receiver has
            lastProgress = System.nanoTime();
          }
        }
      } else {
        long prefix = 0;
        int since = 0;
        ByteBuffer ack = ByteBuffer.allocate(8);
        while (prefix < total) {
          if (selector.select(1000) == 0) {
            continue;
          }
          selector.selectedKeys().clear();
          in.clear();
          while (ch.receive(in) != null) {
            in.flip();
            if (in.remaining() > 8) {
              long offset = in.getLong();
              if (offset == prefix) {
                prefix += in.remaining();
              }
              if (++since >= 2 || offset != prefix || prefix >= total) {
                since = 0;
                ack.clear();
                ack.putLong(prefix).flip();
                ch.send(ack, peer);
              }
            }
            in.clear();
          }
        }
        for (int i = 0; i < 20; i++) {
          ack.clear();
          ack.putLong(prefix).flip();
          ch.send(ack, peer); // the last acks, in case some are lost
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("OK %d bytes in %.2f s, %.1f MB/s%n", total, seconds, total / seconds / 1e6);
    }
  }
}
