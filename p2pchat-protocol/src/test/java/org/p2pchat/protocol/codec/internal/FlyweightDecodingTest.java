package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.codec.DecodeException;

/** The flyweight decoders: reusable, read in place, never move the buffer's position. */
class DecoderTest {

  static ByteBuffer vector(String name) {
    return ByteBuffer.wrap(Vectors.fromResource().get(name));
  }

  @Test
  void oneDecoderInstanceReadsFrameAfterFrame() throws DecodeException {
    SendDecoder d = new SendDecoder();
    ByteBuffer b = ByteBuffer.allocate(1200);

    for (int i = 0; i < 3; i++) {
      b.clear();
      SendEncoder.encode(b, i, 10 + i, 20 + i, "bob" + i, "body " + i);
      d.wrap(b.flip());

      assertThat(d.requestId()).isEqualTo(i);
      assertThat(d.tokenHi()).isEqualTo(10 + i);
      assertThat(d.tokenLo()).isEqualTo(20 + i);
      assertThat(d.recipient()).isEqualTo("bob" + i);
      assertThat(d.body()).isEqualTo("body " + i);
      assertThat(b.position()).isZero();
    }
  }

  @Test
  void gettersReadTheDocumentedFieldsOfEachVector() throws DecodeException {
    HistoryDecoder h = new HistoryDecoder().wrap(vector("history-all-unread-after"));
    assertThat(h.peer()).isNull();
    assertThat(h.unreadOnly()).isTrue();
    assertThat(h.after()).isTrue();
    assertThat(h.cursor()).isEqualTo(42);
    assertThat(h.limit()).isEqualTo(100);

    MarkReadDecoder m = new MarkReadDecoder().wrap(vector("mark-read"));
    assertThat(m.count()).isEqualTo(2);
    assertThat(m.messageId(0)).isEqualTo(42);
    assertThat(m.messageId(1)).isEqualTo(43);
    assertThatThrownBy(() -> m.messageId(2)).isInstanceOf(IndexOutOfBoundsException.class);

    RegisterDecoder r = new RegisterDecoder().wrap(vector("register"));
    assertThat(r.name()).isEqualTo("alice");
    assertThat(r.password()).isEqualTo("correct horse");

    PushStateDecoder s = new PushStateDecoder().wrap(vector("push-state"));
    assertThat(s.requestId()).isEqualTo(0x1112131415161719L);
    assertThat(s.state()).isEqualTo(2);
    assertThat(s.recipient()).isEqualTo("bob");

    ErrorDecoder e = new ErrorDecoder().wrap(vector("error-rate-limited"));
    assertThat(e.errorCode()).isEqualTo(8);
    assertThat(e.retryAfterMillis()).isEqualTo(1500);
    assertThat(e.versionCount()).isZero();
  }

  @Test
  void okGettersForAnotherRequestTypeThrowIllegalState() throws DecodeException {
    OkDecoder ok = new OkDecoder().wrap(vector("ok-send"));

    assertThat(ok.messageId()).isEqualTo(42);
    assertThat(ok.sentAtMillis()).isEqualTo(1_767_225_600_000L);
    assertThatThrownBy(ok::tokenHi).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(ok::count).isInstanceOf(IllegalStateException.class);

    ok.wrap(vector("ok-login"));
    assertThat(ok.tokenHi()).isEqualTo(0x0011223344556677L);
    assertThat(ok.tokenLo()).isEqualTo(0x8899aabbccddeeffL);
    assertThat(ok.keepaliveMillis()).isEqualTo(20_000);
    assertThatThrownBy(ok::messageId).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void unsignedFieldsReadAsUnsigned() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(100);
    ErrorEncoder.encode(b, -1, 0xffff, 0xffff_ffffL);
    ErrorDecoder e = new ErrorDecoder().wrap(b.flip());

    assertThat(e.requestId()).isEqualTo(-1L);
    assertThat(e.errorCode()).isEqualTo(0xffff);
    assertThat(e.retryAfterMillis()).isEqualTo(0xffff_ffffL);
  }
}
