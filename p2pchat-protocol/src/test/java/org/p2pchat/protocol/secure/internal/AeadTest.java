package org.p2pchat.protocol.secure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two implementations behind {@link Aead} are the same cipher: what one seals the other
 * opens, byte for byte, so the benchmark that compares them compares like with like.
 */
class AeadTest {

  @Test
  void noiseJavaAndTheJdkSealTheSameBytesAndOpenEachOthers() {
    Random random = new Random(16);
    for (int i = 0; i < 200; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] frame = new byte[random.nextInt(1201)];
      random.nextBytes(frame);
      long counter = random.nextLong() >>> 4;
      Aead noise = new NoiseJavaChaChaPoly(key);
      Aead jdk = new JdkChaChaPoly(key);
      ByteBuffer a = seal(noise, counter, frame);
      ByteBuffer b = seal(jdk, counter, frame);
      assertThat(a).isEqualTo(b);
      assertThat(open(jdk, counter, a)).isEqualTo(frame);
      assertThat(open(noise, counter, b)).isEqualTo(frame);
    }
  }

  @Test
  void neitherOpensATamperedPacketOrOneUnderAnotherCounter() {
    byte[] key = new byte[32];
    key[0] = 1;
    for (Aead aead : new Aead[] {new NoiseJavaChaChaPoly(key), new JdkChaChaPoly(key)}) {
      ByteBuffer sealed = seal(aead, 5, "SEND bob hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(open(aead, 6, sealed.duplicate())).isNull();
      for (int bit = 0; bit < sealed.remaining() * 8; bit++) {
        byte[] copy = new byte[sealed.remaining()];
        sealed.duplicate().get(copy);
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(open(aead, 5, ByteBuffer.wrap(copy))).as("bit %d", bit).isNull();
      }
      assertThat(open(aead, 5, sealed.duplicate())).isNotNull();
    }
  }

  /** Found by fuzzing: noise-java throws for the nonce Noise reserves; the seam must not. */
  @Test
  void theCounterNoiseReservesOpensNothingAndSealsNothing() {
    Aead aead = new NoiseJavaChaChaPoly(new byte[32]);
    ByteBuffer sealed = seal(aead, 0, new byte[] {1, 2, 3});
    assertThat(open(aead, -1, sealed)).isNull();
    assertThatThrownBy(() -> seal(aead, -1, new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ByteBuffer seal(Aead aead, long counter, byte[] frame) {
    ByteBuffer out = ByteBuffer.allocate(frame.length + Aead.TAG_BYTES);
    aead.seal(counter, new byte[0], ByteBuffer.wrap(frame), out);
    return out.flip();
  }

  private static byte[] open(Aead aead, long counter, ByteBuffer sealed) {
    ByteBuffer out = ByteBuffer.allocate(sealed.remaining());
    if (!aead.open(counter, new byte[0], sealed.duplicate(), out)) {
      return null;
    }
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }
}
