package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * A plain harness (not a test) that measures the secure channel: the transport cipher (the
 * JDK's ChaCha20-Poly1305 against noise-java's ChaChaPoly) and handshakes per second, in the
 * same run. End-to-end sends encrypted against plaintext are the benchmarks module's LoadTest. How to run it is in
 * {@code docs/benchmarks.md}, section "Secure channel".
 */
public final class SecureChannelBenchmark {
  private SecureChannelBenchmark() {}

  /** Runs every measurement and prints one line per figure. */
  public static void main(String[] args) throws Exception {
    for (int round = 0; round < 5; round++) {
      for (int size : new int[] {100, 1200}) {
        double jdk = jdkSealOpen(size);
        double noise = noiseJavaSealOpen(size);
        System.out.printf("aead %4d B  round %d: JDK ChaCha20-Poly1305 %,10.0f seal+open/s   noise-java ChaChaPoly %,10.0f seal+open/s%n",
            size, round, jdk, noise);
      }
    }
    for (int round = 0; round < 3; round++) {
      System.out.printf("handshakes round %d: %,.0f complete NK handshakes/s (both sides, one thread); "
          + "responder side alone %,.0f/s%n", round, handshakes(false), handshakes(true));
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

  static double handshakes(boolean responderOnly) throws Exception {
    ServerKeyPair server = ServerKeyPair.generate();
    byte[] serverPrivate = server.privateKey();
    byte[] serverPublic = server.publicKey().bytes();
    byte[] payload = new byte[4];
    int count = 0;
    long busy = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < 2_000_000_000L) {
      NkHandshake initiator = NkHandshake.initiator(Packets.PROLOGUE, serverPublic, X25519.generatePrivate());
      byte[] m1 = initiator.writeMessage(payload);
      long t0 = System.nanoTime();
      NkHandshake responder = NkHandshake.responder(Packets.PROLOGUE, serverPrivate, serverPublic, X25519.generatePrivate());
      responder.readMessage(m1);
      byte[] m2 = responder.writeMessage(new byte[8]);
      responder.split();
      long t1 = System.nanoTime();
      initiator.readMessage(m2);
      initiator.split();
      busy += t1 - t0;
      count++;
    }
    return responderOnly ? count * 1e9 / busy : count * 1e9 / (System.nanoTime() - start);
  }

}
