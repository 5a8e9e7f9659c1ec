package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsDurationsAsPeopleWriteThem() {
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1H")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void formatsWhatItReadsBack() {
    for (Duration d : new Duration[] {Duration.ofMillis(250), Duration.ofSeconds(120), Duration.ofMillis(1500)}) {
      assertThat(converter.convert(DurationConverter.format(d))).isEqualTo(d);
    }
  }

  @Test
  void refusesGarbageAndNonPositiveDurationsQuotingTheValue() {
    assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> converter.convert("0s")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> converter.convert("-PT1S")).isInstanceOf(TypeConversionException.class);
  }
}
