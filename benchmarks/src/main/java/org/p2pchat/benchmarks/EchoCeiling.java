package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.transport.UdpTransport;

/**
 * The ceiling of the load test: a raw UDP echo server in Java on the same socket setup as the
 * chat server ({@link UdpTransport}: a non-blocking channel, a selector, 4 MB socket buffers,
 * one loop thread), and as many echo clients as the load test has chat clients, each on its own
 * thread and socket with the same window of datagrams in flight. Each datagram is a SEND frame
 * with a 100-byte body carrying its send time in the request id field.
 */
final class EchoCeiling {
  private EchoCeiling() {}

  /** Runs the echo server and clients through a warm-up and a measurement. */
  static PhaseResult run(int clients, int window, Duration warmup, Duration measure)
      throws IOException, InterruptedException {
    UdpTransport server = UdpTransport.bind(new InetSocketAddress("127.0.0.1", 0));
    Meter meter = new Meter();
    Flag running = new Flag();
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(() -> serve(server, running), "echo-server"));
    for (int i = 0; i < clients; i++) {
      UdpTransport client = UdpTransport.bind(new InetSocketAddress("127.0.0.1", 0));
      threads.add(new Thread(() -> load(client, server.localAddress(), window, meter, running),
          "echo-client-" + i));
    }
    threads.forEach(Thread::start);
    PhaseResult result = meter.measure(warmup, measure);
    running.value = false;
    for (Thread t : threads) {
      t.join();
    }
    return result;
  }

  private static void serve(UdpTransport server, Flag running) {
    try (server) {
      while (running.value) {
        server.poll((datagram, from) -> {
          try {
            server.send(datagram, from);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, 50);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void load(UdpTransport client, InetSocketAddress server, int window, Meter meter,
      Flag running) {
    ByteBuffer frame = ByteBuffer.allocate(1500);
    new SendFlyweight().encode(frame, 1).token(SendCodecBenchmark.TOKEN_HI, SendCodecBenchmark.TOKEN_LO)
        .recipient("recipient1").body(LoadTest.BODY).finish();
    frame.flip();
    try (client) {
      for (int i = 0; i < window; i++) {
        send(client, frame, server);
      }
      while (running.value) {
        client.poll((reply, from) -> {
          meter.completed(System.nanoTime() - reply.getLong(reply.position() + HeaderFlyweight.REQUEST_ID_OFFSET));
          if (running.value) {
            try {
              send(client, frame, server);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }, 50);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(UdpTransport client, ByteBuffer frame, InetSocketAddress server) throws IOException {
    frame.putLong(HeaderFlyweight.REQUEST_ID_OFFSET, System.nanoTime());
    client.send(frame.duplicate(), server);
  }

  /** A stop signal shared by the threads of one run. */
  private static final class Flag {
    volatile boolean value = true;
  }
}
