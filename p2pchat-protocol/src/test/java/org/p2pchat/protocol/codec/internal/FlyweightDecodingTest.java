package org.p2pchat.protocol.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.Vectors;

/** The flyweights read: reusable, in place, never moving the buffer's position. */
class FlyweightDecodingTest {

  static ByteBuffer vector(String name) {
    return ByteBuffer.wrap(Vectors.fromResource().get(name));
  }

  @Test
  void oneFlyweightInstanceReadsFrameAfterFrame() throws DecodeException {
    SendFlyweight encoder = new SendFlyweight();
    SendFlyweight d = new SendFlyweight();
    ByteBuffer b = ByteBuffer.allocate(1200);

    for (int i = 0; i < 3; i++) {
      b.clear();
      encoder.encode(b, i).token(10 + i, 20 + i).recipient("bob" + i).body("body " + i).finish();
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
    HistoryFlyweight h = new HistoryFlyweight().wrap(vector("history-all-unread-after"));
    assertThat(h.peer()).isNull();
    assertThat(h.unreadOnly()).isTrue();
    assertThat(h.after()).isTrue();
    assertThat(h.cursor()).isEqualTo(42);
    assertThat(h.pageLimit()).isEqualTo(100);

    MarkReadFlyweight m = new MarkReadFlyweight().wrap(vector("mark-read"));
    assertThat(m.count()).isEqualTo(2);
    assertThat(m.messageId(0)).isEqualTo(42);
    assertThat(m.messageId(1)).isEqualTo(43);
    assertThatThrownBy(() -> m.messageId(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> m.messageId(-1)).isInstanceOf(IndexOutOfBoundsException.class);

    CredentialsFlyweight r = new CredentialsFlyweight(FrameType.REGISTER).wrap(vector("register"));
    assertThat(r.name()).isEqualTo("alice");
    assertThat(r.password()).isEqualTo("correct horse");

    PushStateFlyweight s = new PushStateFlyweight().wrap(vector("push-state"));
    assertThat(s.requestId()).isEqualTo(0x1112131415161719L);
    assertThat(s.state()).isEqualTo(2);
    assertThat(s.recipient()).isEqualTo("bob");

    ErrorFlyweight e = new ErrorFlyweight().wrap(vector("error-rate-limited"));
    assertThat(e.errorCode()).isEqualTo(8);
    assertThat(e.retryAfterMillis()).isEqualTo(1500);
    assertThat(e.versionCount()).isZero();
    assertThatThrownBy(() -> e.version(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void oneCredentialsLayoutReadsRegisterAndLoginAndEachRefusesTheOther() throws DecodeException {
    CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN).wrap(vector("login"));
    assertThat(login.type()).isEqualTo(FrameType.LOGIN.code());
    assertThat(login.name()).isEqualTo("alice");
    assertThat(login.password()).isEqualTo("correct horse");

    DecodeException e = catchThrowableOfType(DecodeException.class,
        () -> login.wrap(vector("register")));
    assertThat(e.reason()).isEqualTo(DecodeException.Reason.UNKNOWN_FRAME_TYPE);
    e = catchThrowableOfType(DecodeException.class,
        () -> new CredentialsFlyweight(FrameType.REGISTER).wrap(vector("login")));
    assertThat(e.reason()).isEqualTo(DecodeException.Reason.UNKNOWN_FRAME_TYPE);
  }

  @Test
  void eachOkLayoutHasItsOwnFlyweightWithOnlyItsOwnGetters() throws DecodeException {
    // No getter that throws for another layout: each layout is its own class.
    SendOkFlyweight sendOk = new SendOkFlyweight().wrap(vector("ok-send"));
    assertThat(sendOk.inReplyTo()).isEqualTo(FrameType.SEND.code());
    assertThat(sendOk.messageId()).isEqualTo(42);
    assertThat(sendOk.sentAtMillis()).isEqualTo(1_767_225_600_000L);

    LoginOkFlyweight loginOk = new LoginOkFlyweight().wrap(vector("ok-login"));
    assertThat(loginOk.inReplyTo()).isEqualTo(FrameType.LOGIN.code());
    assertThat(loginOk.tokenHi()).isEqualTo(0x0011223344556677L);
    assertThat(loginOk.tokenLo()).isEqualTo(0x8899aabbccddeeffL);
    assertThat(loginOk.keepaliveMillis()).isEqualTo(20_000);

    EmptyOkFlyweight emptyOk = new EmptyOkFlyweight().wrap(vector("ok-mark-read"));
    assertThat(emptyOk.inReplyTo()).isEqualTo(FrameType.MARK_READ.code());
    assertThat(emptyOk.requestId()).isEqualTo(0x0102030405060708L);

    HistoryOkFlyweight historyOk = new HistoryOkFlyweight().wrap(vector("ok-history"));
    assertThat(historyOk.inReplyTo()).isEqualTo(FrameType.HISTORY.code());
    assertThat(historyOk.nextCursor()).isZero();
    assertThat(historyOk.count()).isEqualTo(1);
    assertThat(historyOk.message(0).body()).isEqualTo("hello");
    assertThatThrownBy(() -> historyOk.message(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void unsignedFieldsReadAsUnsigned() throws DecodeException {
    ByteBuffer b = ByteBuffer.allocate(100);
    new ErrorFlyweight().encode(b, -1).error(0xffff, 0xffff_ffffL).addVersion(0xff).finish();
    ErrorFlyweight e = new ErrorFlyweight().wrap(b.flip());

    assertThat(e.requestId()).isEqualTo(-1L);
    assertThat(e.errorCode()).isEqualTo(0xffff);
    assertThat(e.retryAfterMillis()).isEqualTo(0xffff_ffffL);
    assertThat(e.version(0)).isEqualTo(0xff);

    b.clear();
    new LoginOkFlyweight().encode(b, 1).inReplyTo(FrameType.LOGIN).session(-1, -2, 0xffff_ffffL)
        .finish();
    LoginOkFlyweight ok = new LoginOkFlyweight().wrap(b.flip());
    assertThat(ok.tokenHi()).isEqualTo(-1L);
    assertThat(ok.tokenLo()).isEqualTo(-2L);
    assertThat(ok.keepaliveMillis()).isEqualTo(0xffff_ffffL);
  }
}
