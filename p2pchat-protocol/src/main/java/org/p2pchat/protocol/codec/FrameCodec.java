package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.MessageCodec;

/**
 * The object-level codec of protocol v1: {@link Frame} values to datagram bytes and back, built
 * on the flyweight decoders and the encoders of this package. Meant for tools, tests and test
 * vectors: it allocates per frame, which the engines' hot paths do not.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameCodec implements MessageCodec<Frame> {

  /** A codec; all instances behave alike. */
  public FrameCodec() {}

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException also when an {@link Frame.OkHistory} page does not fit one
   *     datagram
   */
  @Override
  public int encode(Frame f, ByteBuffer dst) {
    if (f instanceof Frame.Register r) {
      return RegisterEncoder.encode(dst, r.requestId(), r.name(), r.password());
    } else if (f instanceof Frame.Login l) {
      return LoginEncoder.encode(dst, l.requestId(), l.name(), l.password());
    } else if (f instanceof Frame.Logout l) {
      return LogoutEncoder.encode(dst, l.requestId(), l.tokenHi(), l.tokenLo());
    } else if (f instanceof Frame.Send s) {
      return SendEncoder.encode(dst, s.requestId(), s.tokenHi(), s.tokenLo(), s.recipient(),
          s.body());
    } else if (f instanceof Frame.History h) {
      return HistoryEncoder.encode(dst, h.requestId(), h.tokenHi(), h.tokenLo(), h.peer(),
          h.unreadOnly(), h.after(), h.cursor(), h.limit());
    } else if (f instanceof Frame.Ping p) {
      return PingEncoder.encode(dst, p.requestId(), p.tokenHi(), p.tokenLo());
    } else if (f instanceof Frame.MarkRead m) {
      long[] ids = m.messageIds().stream().mapToLong(Long::longValue).toArray();
      return MarkReadEncoder.encode(dst, m.requestId(), m.tokenHi(), m.tokenLo(), ids,
          ids.length);
    } else if (f instanceof Frame.PushAck a) {
      return PushAckEncoder.encode(dst, a.requestId(), a.tokenHi(), a.tokenLo());
    } else if (f instanceof Frame.OkEmpty o) {
      return OkEncoder.encodeEmpty(dst, o.requestId(), o.inReplyTo());
    } else if (f instanceof Frame.OkLogin o) {
      return OkEncoder.encodeLogin(dst, o.requestId(), o.tokenHi(), o.tokenLo(),
          o.keepaliveMillis());
    } else if (f instanceof Frame.OkSend o) {
      return OkEncoder.encodeSend(dst, o.requestId(), o.messageId(), o.sentAtMillis());
    } else if (f instanceof Frame.OkHistory o) {
      return encodeHistoryPage(o, dst);
    } else if (f instanceof Frame.Error e) {
      int[] versions = e.versions().stream().mapToInt(Integer::intValue).toArray();
      return ErrorEncoder.encode(dst, e.requestId(), e.errorCode(), e.retryAfterMillis(),
          versions, versions.length);
    } else if (f instanceof Frame.PushMessage p) {
      return PushMessageEncoder.encode(dst, p.requestId(), p.messageId(), p.sentAtMillis(),
          p.sender(), p.body());
    } else if (f instanceof Frame.PushState p) {
      return PushStateEncoder.encode(dst, p.requestId(), p.messageId(), p.state(),
          p.recipient());
    }
    throw new IllegalArgumentException("not a frame: " + f);
  }

  private static int encodeHistoryPage(Frame.OkHistory page, ByteBuffer dst) {
    int start = dst.position();
    HistoryOkEncoder encoder = new HistoryOkEncoder().wrap(dst, page.requestId());
    for (ChatMessage m : page.messages()) {
      if (!encoder.tryAdd(m)) {
        dst.position(start);
        throw new IllegalArgumentException("a page of " + page.messages().size()
            + " messages does not fit one datagram");
      }
    }
    return encoder.nextCursor(page.nextCursor()).finish();
  }

  @Override
  public Frame decode(ByteBuffer src) throws DecodeException {
    Frame frame = decodeFrame(src);
    src.position(src.limit());
    return frame;
  }

  private static Frame decodeFrame(ByteBuffer src) throws DecodeException {
    int type = FrameHeader.readType(src);
    switch (type) {
      case FrameType.REGISTER: {
        RegisterDecoder d = new RegisterDecoder().wrap(src);
        return new Frame.Register(d.requestId(), d.name(), d.password());
      }
      case FrameType.LOGIN: {
        LoginDecoder d = new LoginDecoder().wrap(src);
        return new Frame.Login(d.requestId(), d.name(), d.password());
      }
      case FrameType.LOGOUT: {
        LogoutDecoder d = new LogoutDecoder().wrap(src);
        return new Frame.Logout(d.requestId(), d.tokenHi(), d.tokenLo());
      }
      case FrameType.SEND: {
        SendDecoder d = new SendDecoder().wrap(src);
        return new Frame.Send(d.requestId(), d.tokenHi(), d.tokenLo(), d.recipient(), d.body());
      }
      case FrameType.HISTORY: {
        HistoryDecoder d = new HistoryDecoder().wrap(src);
        return new Frame.History(d.requestId(), d.tokenHi(), d.tokenLo(), d.peer(),
            d.unreadOnly(), d.after(), d.cursor(), d.limit());
      }
      case FrameType.PING: {
        PingDecoder d = new PingDecoder().wrap(src);
        return new Frame.Ping(d.requestId(), d.tokenHi(), d.tokenLo());
      }
      case FrameType.MARK_READ: {
        MarkReadDecoder d = new MarkReadDecoder().wrap(src);
        List<Long> ids = new ArrayList<>(d.count());
        for (int i = 0; i < d.count(); i++) {
          ids.add(d.messageId(i));
        }
        return new Frame.MarkRead(d.requestId(), d.tokenHi(), d.tokenLo(), ids);
      }
      case FrameType.PUSH_ACK: {
        PushAckDecoder d = new PushAckDecoder().wrap(src);
        return new Frame.PushAck(d.requestId(), d.tokenHi(), d.tokenLo());
      }
      case FrameType.OK:
        return decodeOk(new OkDecoder().wrap(src));
      case FrameType.ERROR: {
        ErrorDecoder d = new ErrorDecoder().wrap(src);
        List<Integer> versions = new ArrayList<>(d.versionCount());
        for (int i = 0; i < d.versionCount(); i++) {
          versions.add(d.version(i));
        }
        return new Frame.Error(d.requestId(), d.errorCode(), d.retryAfterMillis(), versions);
      }
      case FrameType.PUSH_MESSAGE: {
        PushMessageDecoder d = new PushMessageDecoder().wrap(src);
        return new Frame.PushMessage(d.requestId(), d.messageId(), d.sentAtMillis(), d.sender(),
            d.body());
      }
      case FrameType.PUSH_STATE: {
        PushStateDecoder d = new PushStateDecoder().wrap(src);
        return new Frame.PushState(d.requestId(), d.messageId(), d.state(), d.recipient());
      }
      default:
        // readType admits only known types; this is a codec bug, not bad input.
        throw new IllegalStateException("no decoder for " + FrameType.name(type));
    }
  }

  private static Frame decodeOk(OkDecoder d) {
    switch (d.inReplyTo()) {
      case FrameType.LOGIN:
        return new Frame.OkLogin(d.requestId(), d.tokenHi(), d.tokenLo(), d.keepaliveMillis());
      case FrameType.SEND:
        return new Frame.OkSend(d.requestId(), d.messageId(), d.sentAtMillis());
      case FrameType.HISTORY: {
        List<ChatMessage> messages = new ArrayList<>(d.count());
        for (int i = 0; i < d.count(); i++) {
          messages.add(d.message(i));
        }
        return new Frame.OkHistory(d.requestId(), d.nextCursor(), messages);
      }
      default:
        return new Frame.OkEmpty(d.requestId(), d.inReplyTo());
    }
  }
}
