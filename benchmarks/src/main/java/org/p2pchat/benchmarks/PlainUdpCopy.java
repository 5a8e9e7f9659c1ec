package org.p2pchat.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@link FileTransferBench}: a file copied over one pair of {@link DatagramChannel}s
 * on loopback with the simplest reliable protocol that can carry it, so that the chat's file
 * transfer has something plain to be compared with in the same run.
 *
 * <p>What it does: the sender reads the file with positional reads and sends it in chunks of
 * {@value #CHUNK} bytes (the chat's chunk size), each datagram a 4-byte chunk index then the
 * data, keeping a <b>fixed window</b> of {@value #WINDOW} chunks beyond the last cumulative
 * acknowledgement in flight (the chat's window cap). The receiver writes each chunk at its offset
 * (out of order is fine: it remembers which it has) and answers every {@value #ACK_EVERY}th
 * datagram, every datagram after a gap, and the last one, with a cumulative acknowledgement: the
 * index of the first chunk it lacks. A sender that hears no progress for {@value #TIMEOUT_MILLIS}
 * ms goes back to the first unacknowledged chunk (go-back-N). The copy ends when the sender hears
 * that every chunk arrived. Socket buffers are 4 MiB, as the chat's transport asks.
 *
 * <p>What it does not do: no encryption or authentication, no handshake, no congestion
 * control (the window never grows or shrinks), no RTT estimate, no hash of the file, no fsync;
 * it is a copy between two threads of one process. It measures what one UDP socket pair and the
 * page cache allow on this machine with the chat's chunk and window sizes, not a protocol anyone
 * should ship.
 */
final class PlainUdpCopy {
  /** Data bytes per datagram: the chat's CHUNK size. */
  static final int CHUNK = 1024;
  /** Chunks in flight: the chat's window cap (TransferLimits.maxWindowChunks). */
  static final int WINDOW = 256;
  static final int ACK_EVERY = 16;
  static final long TIMEOUT_MILLIS = 20;
  private static final int HEADER = 4;
  private static final int BUFFER_BYTES = 4 * 1024 * 1024;

  private PlainUdpCopy() {}

  /** A copy's time and the CPU time of its two threads, all in nanoseconds. */
  record Result(long nanos, long senderCpuNanos, long receiverCpuNanos) {}

  /**
   * Copies {@code source} to {@code target} over loopback UDP; the time is from the first datagram
   * to the sender's hearing that the last chunk arrived. The calling thread sends.
   */
  static Result copy(Path source, Path target) throws IOException, InterruptedException {
    try (DatagramChannel sender = open(); DatagramChannel receiver = open();
         FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
         FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      int chunks = (int) ((size + CHUNK - 1) / CHUNK);
      InetSocketAddress senderAddress = (InetSocketAddress) sender.getLocalAddress();
      receiver.connect(senderAddress);
      sender.connect(receiver.getLocalAddress());
      java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
      CompletableFuture<Long> received = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          long cpu0 = cpu.getCurrentThreadCpuTime();
          receive(receiver, out, chunks);
          received.complete(cpu.getCurrentThreadCpuTime() - cpu0);
        } catch (IOException | RuntimeException e) {
          received.completeExceptionally(e);
        }
      }, "plain-udp-receiver");
      t.start();
      long cpu0 = cpu.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      send(sender, in, size, chunks);
      long nanos = System.nanoTime() - start;
      long senderCpu = cpu.getCurrentThreadCpuTime() - cpu0;
      long receiverCpu;
      try {
        receiverCpu = received.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("the plain copy's receiver failed", e);
      }
      t.join();
      return new Result(nanos, senderCpu, receiverCpu);
    }
  }

  /**
   * The sending half, for a receiver in another process ({@link #serve}): says hello with the
   * size until the receiver answers, then copies as {@link #copy} does. The calling thread sends.
   */
  static Result sendTo(InetSocketAddress local, InetSocketAddress receiver, Path source)
      throws IOException {
    try (DatagramChannel sender = open(local); FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      long size = in.size();
      sender.connect(receiver);
      hello(sender, size);
      java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = cpu.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      send(sender, in, size, (int) ((size + CHUNK - 1) / CHUNK));
      return new Result(System.nanoTime() - start, cpu.getCurrentThreadCpuTime() - cpu0, -1);
    }
  }

  /** Sends HELLO (index -1, then the size) every 100 ms until the receiver's first acknowledgement. */
  private static void hello(DatagramChannel channel, long size) throws IOException {
    ByteBuffer hello = ByteBuffer.allocate(12).putInt(-1).putLong(size).flip();
    ByteBuffer ack = ByteBuffer.allocate(8);
    channel.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      for (int i = 0; i < 100; i++) {
        try {
          channel.write(hello.duplicate());
          selector.select(100);
          selector.selectedKeys().clear();
          if (channel.read(ack.clear()) > 0) {
            return;
          }
        } catch (java.net.PortUnreachableException e) {
          // The receiver's socket is not bound yet (it starts beside us): its ICMP answer. Again.
          selector.select(100);
          selector.selectedKeys().clear();
        }
      }
    }
    throw new IOException("no plain receiver answered at " + channel.getRemoteAddress());
  }

  /**
   * The receiving half, for senders in another process: serves copies into {@code target}, one
   * after another, each from the sender whose HELLO began it, until the thread is interrupted or
   * the channel fails.
   */
  static void serve(InetSocketAddress local, Path target) throws IOException {
    try (DatagramChannel channel = open(local)) {
      ByteBuffer first = ByteBuffer.allocate(HEADER + CHUNK);
      while (!Thread.currentThread().isInterrupted()) {
        first.clear();
        java.net.SocketAddress from;
        try {
          from = channel.receive(first);
        } catch (java.net.PortUnreachableException e) {
          continue; // an earlier sender closed before our last acknowledgements reached it
        }
        first.flip();
        if (first.remaining() != 12 || first.getInt() != -1) {
          continue; // a late datagram of an earlier copy
        }
        long size = first.getLong();
        channel.connect(from);
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          channel.write(ByteBuffer.allocate(4).putInt(0).flip());
          receive(channel, out, (int) ((size + CHUNK - 1) / CHUNK));
        } catch (java.net.PortUnreachableException e) {
          // the sender went before our last acknowledgements reached it: its copy is over anyway
        }
        channel.disconnect();
      }
    }
  }

  private static DatagramChannel open() throws IOException {
    return open(new InetSocketAddress("127.0.0.1", 0));
  }

  private static DatagramChannel open(InetSocketAddress local) throws IOException {
    DatagramChannel c = DatagramChannel.open();
    c.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
    c.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
    c.bind(local);
    return c;
  }

  private static void send(DatagramChannel channel, FileChannel in, long size, int chunks) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer packet = ByteBuffer.allocateDirect(HEADER + CHUNK);
    ByteBuffer ack = ByteBuffer.allocateDirect(8);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      int base = 0;
      int next = 0;
      long progressAt = System.nanoTime();
      long giveUpAt = progressAt + TimeUnit.SECONDS.toNanos(60);
      while (base < chunks) {
        while (next < chunks && next < base + WINDOW) {
          packet.clear();
          packet.putInt(next);
          long offset = (long) next * CHUNK;
          packet.limit(HEADER + (int) Math.min(CHUNK, size - offset));
          while (packet.hasRemaining()) {
            if (in.read(packet, offset + packet.position() - HEADER) < 0) {
              throw new IOException("the file shrank while it was copied");
            }
          }
          packet.flip();
          if (channel.write(packet) == 0) {
            break; // the socket buffer is full: wait for acks rather than spin
          }
          next++;
        }
        boolean heard = false;
        ack.clear();
        while (channel.read(ack) > 0) {
          ack.flip();
          int acked = ack.getInt();
          if (acked > base) {
            base = acked;
            heard = true;
          }
          ack.clear();
        }
        long now = System.nanoTime();
        if (now > giveUpAt) {
          throw new IOException("the plain copy made no end in 60 s (chunk " + base + " of " + chunks + ")");
        }
        if (heard) {
          progressAt = now;
          next = Math.max(next, base);
        } else if (now - progressAt > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS)) {
          next = base; // go back N
          progressAt = now;
        } else if (next >= chunks || next >= base + WINDOW) {
          selector.select(1);
          selector.selectedKeys().clear();
        }
      }
    }
  }

  private static void receive(DatagramChannel channel, FileChannel out, int chunks) throws IOException {
    ByteBuffer packet = ByteBuffer.allocateDirect(HEADER + CHUNK);
    ByteBuffer ack = ByteBuffer.allocateDirect(4);
    BitSet have = new BitSet(chunks);
    int firstMissing = 0;
    int sinceAck = 0;
    while (firstMissing < chunks) {
      packet.clear();
      channel.read(packet);
      packet.flip();
      int index = packet.getInt();
      if (index < 0) {
        index = firstMissing - 1; // a repeated HELLO: answer it as a duplicate
      }
      boolean gap = index != firstMissing;
      if (index >= firstMissing && index < chunks && !have.get(index)) {
        long offset = (long) index * CHUNK;
        while (packet.hasRemaining()) {
          out.write(packet, offset + packet.position() - HEADER);
        }
        have.set(index);
        firstMissing = have.nextClearBit(firstMissing);
      }
      if (gap || ++sinceAck >= ACK_EVERY || firstMissing >= chunks) {
        sinceAck = 0;
        ack.clear();
        ack.putInt(firstMissing).flip();
        channel.write(ack);
      }
    }
    // The last ack may be lost; repeat it a few times rather than linger.
    for (int i = 0; i < 3; i++) {
      ack.clear();
      ack.putInt(firstMissing).flip();
      channel.write(ack);
    }
  }
}
