package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.p2pchat.api.ServerPublicKey;
import picocli.CommandLine.TypeConversionException;

class OtherNodeConverterTest {
  /** A 32-byte key in base64: it ends with '=', so '@' (not '=') parts address from key. */
  private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private final OtherNodeConverter converter = new OtherNodeConverter();

  @Test
  void readsTheAddressAndTheKey() {
    OtherNodeConverter.OtherNode n = converter.convert("127.0.0.1:9001@" + KEY);
    assertThat(n.address().getPort()).isEqualTo(9001);
    assertThat(n.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(n.key()).isEqualTo(ServerPublicKey.parse(KEY));
    assertThat(converter.convert("[::1]@" + KEY).address().getPort()).isEqualTo(ServerAddressConverter.DEFAULT_PORT);
  }

  @Test
  void refusesANodeWithoutAKeyOrWithABadOneQuotingTheValue() {
    assertThatThrownBy(() -> converter.convert("127.0.0.1:9001")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'127.0.0.1:9001'").hasMessageContaining("HOST:PORT@KEY");
    assertThatThrownBy(() -> converter.convert("127.0.0.1:9001@not-a-key")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("32-byte key");
    assertThatThrownBy(() -> converter.convert("127.0.0.1:0@" + KEY)).isInstanceOf(TypeConversionException.class);
  }
}
