package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ServerAddressConverterTest {
  private final ServerAddressConverter converter = new ServerAddressConverter();

  @Test
  void readsHostAndPortIpv6InBracketsAndDefaultsThePort() {
    assertThat(converter.convert("127.0.0.1:9000").getPort()).isEqualTo(9000);
    assertThat(converter.convert("localhost").getPort()).isEqualTo(7777);
    assertThat(converter.convert("[::1]:9000").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(converter.convert("[::1]").getPort()).isEqualTo(7777);
  }

  @Test
  void addressesAreShownAsPeopleWriteThem() {
    assertThat(ServerAddressConverter.text(converter.convert("[::1]:9000"))).isEqualTo("[::1]:9000");
    assertThat(ServerAddressConverter.text(converter.convert("[2001:db8:0:0:1:0:0:1]"))).isEqualTo("[2001:db8::1:0:0:1]:7777");
    assertThat(ServerAddressConverter.text(converter.convert("127.0.0.1:9000"))).isEqualTo("127.0.0.1:9000");
  }

  @Test
  void refusesBadPortsQuotingTheValue() {
    assertThatThrownBy(() -> converter.convert("localhost:0")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'localhost:0'");
    assertThatThrownBy(() -> converter.convert("localhost:http")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> converter.convert(":7777")).isInstanceOf(TypeConversionException.class);
  }
}
