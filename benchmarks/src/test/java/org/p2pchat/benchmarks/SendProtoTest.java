package org.p2pchat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The hand-written protobuf baseline writes the wire format of its message definition (checked
 * with protobuf-java's own schema-less parser) and reads back what it wrote.
 */
class SendProtoTest {
  private final SendProto message = new SendProto(SendCodecBenchmark.REQUEST_ID,
      SendCodecBenchmark.TOKEN_HI, SendCodecBenchmark.TOKEN_LO, SendCodecBenchmark.RECIPIENT,
      SendCodecBenchmark.BODY);

  @Test
  void writesTheFieldsOfTheMessageDefinitionAsProtobufReadsThem() throws IOException {
    byte[] buffer = new byte[1500];
    int n = message.writeTo(buffer);
    assertThat(n).isEqualTo(message.serializedSize());

    UnknownFieldSet fields = UnknownFieldSet.parseFrom(ByteString.copyFrom(buffer, 0, n));
    assertThat(fields.getField(1).getVarintList()).containsExactly(SendCodecBenchmark.REQUEST_ID);
    assertThat(fields.getField(2).getFixed64List()).containsExactly(SendCodecBenchmark.TOKEN_HI);
    assertThat(fields.getField(3).getFixed64List()).containsExactly(SendCodecBenchmark.TOKEN_LO);
    assertThat(fields.getField(4).getLengthDelimitedList())
        .containsExactly(ByteString.copyFrom(SendCodecBenchmark.RECIPIENT, StandardCharsets.UTF_8));
    assertThat(fields.getField(5).getLengthDelimitedList())
        .containsExactly(ByteString.copyFrom(SendCodecBenchmark.BODY, StandardCharsets.UTF_8));
  }

  @Test
  void readsBackWhatItWrote() throws IOException {
    byte[] buffer = new byte[1500];
    SendProto read = SendProto.parse(buffer, message.writeTo(buffer));
    assertThat(read.requestId).isEqualTo(message.requestId);
    assertThat(read.tokenHi).isEqualTo(message.tokenHi);
    assertThat(read.tokenLo).isEqualTo(message.tokenLo);
    assertThat(read.recipient).isEqualTo(message.recipient);
    assertThat(read.body).isEqualTo(message.body);
  }

  @Test
  void theBenchmarkBodyIsOneHundredBytes() {
    assertThat(SendCodecBenchmark.BODY.getBytes(StandardCharsets.UTF_8)).hasSize(100);
  }
}
