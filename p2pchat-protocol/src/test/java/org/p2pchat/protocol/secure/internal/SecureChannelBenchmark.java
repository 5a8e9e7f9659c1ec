package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * A plain harness (not a test) that measures the secure channel: the transport cipher (the
 * JDK's ChaCha20-Poly1305 against noise-java's ChaChaPoly) and handshakes per second, in the
 * same run. End-to-end sends encrypted against plaintext are the benchmarks module's
 * LoadTest. How to run it is in {@code docs/benchmarks.md}, section "Secure channel".
 */
public final class SecureChannelBenchmark {
  private SecureChannelBenchmark() {}

  /**
   * Runs every measurement and prints one line per figure; with the single argument
   * {@code handshakes}, only the handshakes.
   */
  public static void main(String[] args) throws Exception {
    boolean handshakesOnly = args.length == 1 && args[0].equals("handshakes");
    for (int round = 0; round < (handshakesOnly ? 8 : 3); round++) {
      System.out.printf("handshakes round %d, per CPU second (per wall second): complete NK handshakes, both sides "
          + "on one thread, %s; the responder's side alone %s%n", round, bothSides(), responderAlone());
    }
    if (handshakesOnly) {
      return;
    }
    for (int round = 0; round < 5; round++) {
      for (int size : new int[] {100, 1200}) {
        double jdk = jdkSealOpen(size);
        double noise = noiseJavaSealOpen(size);
        System.out.printf("aead %4d B  round %d: JDK ChaCha20-Poly1305 %,10.0f seal+open/s   noise-java ChaChaPoly %,10.0f seal+open/s%n",
            size, round, jdk, noise);
      }
    }
  }

  private static final long AEAD_NANOS = 1_000_000_000L;

  static double jdkSealOpen(int size) {
    return sealOpen(size, JdkChaChaPoly::new);
  }

  static double noiseJavaSealOpen(int size) {
    return sealOpen(size, NoiseJavaChaChaPoly::new);
  }

  /** Seal then open of one frame of {@code size} bytes, per second, through {@link Aead}. */
  static double sealOpen(int size, java.util.function.Function<byte[], Aead> cipher) {
    byte[] key = new byte[32];
    Aead sealer = cipher.apply(key);
    Aead opener = cipher.apply(key);
    ByteBuffer plain = ByteBuffer.allocate(size);
    ByteBuffer sealed = ByteBuffer.allocate(size + Aead.TAG_BYTES);
    ByteBuffer opened = ByteBuffer.allocate(size + Aead.TAG_BYTES);
    byte[] noAd = new byte[0];
    long n = 0;
    long start = System.nanoTime();
    long end = start + AEAD_NANOS;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++, n++) {
        plain.clear();
        sealed.clear();
        sealer.seal(n, noAd, plain, sealed);
        sealed.flip();
        opened.clear();
        if (!opener.open(n, noAd, sealed, opened)) {
          throw new AssertionError("did not open");
        }
      }
    }
    return n * 1e9 / (System.nanoTime() - start);
  }

  /**
   * Handshakes per second of this thread's CPU time as well as of the wall clock: on a shared
   * machine the wall clock also counts other processes' time slices, the thread's CPU time only
   * what the handshakes cost.
   */
  record Rate(double perCpuSecond, double perWallSecond) {
    @Override
    public String toString() {
      return String.format("%,6.0f/s (%,6.0f/s)", perCpuSecond, perWallSecond);
    }
  }

  private static final long MEASURE_CPU_NANOS = 2_000_000_000L;

  private static final java.nio.file.Path SCHEDSTAT = java.nio.file.Path.of("/proc/thread-self/schedstat");

  /**
   * This thread's CPU time in nanoseconds, from Linux's schedstat (java.management, which has
   * ThreadMXBean, is not a module the protocol reads); elsewhere the process's CPU time.
   */
  private static long cpuNanos() {
    try {
      String line = java.nio.file.Files.readString(SCHEDSTAT);
      return Long.parseLong(line.substring(0, line.indexOf(' ')));
    } catch (java.io.IOException | RuntimeException e) {
      return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
  }

  /** Complete handshakes, both sides on this thread, for 2 s of CPU time. */
  static Rate bothSides() throws Exception {
    ServerKeyPair server = ServerKeyPair.generate();
    NoiseNk.StaticKey serverKey = new NoiseNk.StaticKey(server.privateKey());
    int count = 0;
    long wall = System.nanoTime();
    long cpu = cpuNanos();
    long usedCpu;
    do {
      for (int i = 0; i < 20; i++, count++) {
        NoiseNk.Initiator initiator = new NoiseNk.Initiator(Packets.PROLOGUE, server.publicKey().bytes(),
            new byte[4], null);
        NoiseNk.Response response = respond(serverKey, initiator.message1());
        NoiseNk.Initiator.Result result = initiator.read(response.message(), p -> p.length == 8);
        new Channel(2, 1, result.ciphers(), 0, null);
      }
      usedCpu = cpuNanos() - cpu;
    } while (usedCpu < MEASURE_CPU_NANOS);
    return new Rate(count * 1e9 / usedCpu, count * 1e9 / (System.nanoTime() - wall));
  }

  /** The server's side alone, on initiations written beforehand (untimed), for 2 s of CPU time. */
  static Rate responderAlone() throws Exception {
    ServerKeyPair server = ServerKeyPair.generate();
    NoiseNk.StaticKey serverKey = new NoiseNk.StaticKey(server.privateKey());
    byte[][] initiations = new byte[500][];
    int count = 0;
    long usedCpu = 0;
    long usedWall = 0;
    while (usedCpu < MEASURE_CPU_NANOS) {
      for (int i = 0; i < initiations.length; i++) {
        initiations[i] = new NoiseNk.Initiator(Packets.PROLOGUE, server.publicKey().bytes(), new byte[4], null)
            .message1();
      }
      long wall = System.nanoTime();
      long cpu = cpuNanos();
      for (byte[] initiation : initiations) {
        respond(serverKey, initiation);
      }
      usedCpu += cpuNanos() - cpu;
      usedWall += System.nanoTime() - wall;
      count += initiations.length;
    }
    return new Rate(count * 1e9 / usedCpu, count * 1e9 / usedWall);
  }

  /** What SecureServerTransport does per initiation. */
  private static NoiseNk.Response respond(NoiseNk.StaticKey serverKey, byte[] m1) {
    NoiseNk.Response response = NoiseNk.respond(Packets.PROLOGUE, serverKey, m1, p -> p.length == 4,
        new byte[8], null);
    new Channel(1, 2, response.ciphers(), 0, null);
    return response;
  }

}
