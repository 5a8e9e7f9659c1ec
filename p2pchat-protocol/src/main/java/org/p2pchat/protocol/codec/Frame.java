package org.p2pchat.protocol.codec;

import java.util.List;
import java.util.Objects;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * Every frame of protocol v1 as an immutable value, for tools, tests and test vectors; the
 * engines use flyweights instead, which read and write frames in place and allocate nothing.
 * {@link FrameCodec} turns these values into bytes and back.
 *
 * <p>The values check nulls only; {@link FrameCodec#encode} checks the protocol's limits.
 * {@code toString} never shows a password or a session token.
 */
public sealed interface Frame {

  /** The request id (for pushes, the push id). */
  long requestId();

  /** The frame type: the number in byte 3 of the header ({@code docs/protocol.md} section 2). */
  int type();

  /** REGISTER: create an account. */
  record Register(long requestId, String name, String password) implements Frame {
    /** Checks for nulls. */
    public Register {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public int type() {
      return FrameType.REGISTER.code();
    }

    @Override
    public String toString() {
      return "Register[requestId=" + requestId + ", name=" + name + ", password=***]";
    }
  }

  /** LOGIN: open a session. */
  record Login(long requestId, String name, String password) implements Frame {
    /** Checks for nulls. */
    public Login {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public int type() {
      return FrameType.LOGIN.code();
    }

    @Override
    public String toString() {
      return "Login[requestId=" + requestId + ", name=" + name + ", password=***]";
    }
  }

  /** LOGOUT: end the session of the token. */
  record Logout(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.LOGOUT.code();
    }

    @Override
    public String toString() {
      return "Logout[requestId=" + requestId + ", token=***]";
    }
  }

  /** SEND: send {@code body} to {@code recipient}. */
  record Send(long requestId, long tokenHi, long tokenLo, String recipient, String body)
      implements Frame {
    /** Checks for nulls. */
    public Send {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.SEND.code();
    }

    @Override
    public String toString() {
      return "Send[requestId=" + requestId + ", token=***, recipient=" + recipient + ", body="
          + body + "]";
    }
  }

  /** HISTORY: ask for a page; {@code peer} is null for all peers. */
  record History(long requestId, long tokenHi, long tokenLo, String peer, boolean unreadOnly,
      boolean after, long cursor, int limit) implements Frame {
    @Override
    public int type() {
      return FrameType.HISTORY.code();
    }

    @Override
    public String toString() {
      return "History[requestId=" + requestId + ", token=***, peer=" + peer + ", unreadOnly="
          + unreadOnly + ", after=" + after + ", cursor=" + cursor + ", limit=" + limit + "]";
    }
  }

  /** PING: keep the session alive. */
  record Ping(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.PING.code();
    }

    @Override
    public String toString() {
      return "Ping[requestId=" + requestId + ", token=***]";
    }
  }

  /** MARK_READ: mark 1 to 64 received messages read. */
  record MarkRead(long requestId, long tokenHi, long tokenLo, List<Long> messageIds)
      implements Frame {
    /** Copies the list. */
    public MarkRead {
      messageIds = List.copyOf(messageIds);
    }

    @Override
    public int type() {
      return FrameType.MARK_READ.code();
    }

    @Override
    public String toString() {
      return "MarkRead[requestId=" + requestId + ", token=***, messageIds=" + messageIds + "]";
    }
  }

  /** PUSH_ACK: acknowledge the push whose push id is {@code requestId}. */
  record PushAck(long requestId, long tokenHi, long tokenLo) implements Frame {
    @Override
    public int type() {
      return FrameType.PUSH_ACK.code();
    }

    @Override
    public String toString() {
      return "PushAck[requestId=" + requestId + ", token=***]";
    }
  }

  /** OK without payload, answering REGISTER, LOGOUT, PING or MARK_READ. */
  record OkEmpty(long requestId, int inReplyTo) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to LOGIN: the session token and the keepalive interval in ms. */
  record OkLogin(long requestId, long tokenHi, long tokenLo, long keepaliveMillis)
      implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }

    @Override
    public String toString() {
      return "OkLogin[requestId=" + requestId + ", token=***, keepaliveMillis="
          + keepaliveMillis + "]";
    }
  }

  /** OK to SEND: the stored message's id and time (ms since the Unix epoch). */
  record OkSend(long requestId, long messageId, long sentAtMillis) implements Frame {
    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /** OK to HISTORY: one page, in increasing id order; {@code nextCursor} 0 = no more pages. */
  record OkHistory(long requestId, long nextCursor, List<ChatMessage> messages) implements Frame {
    /** Copies the list. */
    public OkHistory {
      messages = List.copyOf(messages);
    }

    @Override
    public int type() {
      return FrameType.OK.code();
    }
  }

  /**
   * ERROR: the request failed with {@code errorCode}; {@code retryAfterMillis} 0 = no advice;
   * {@code versions} lists the server's versions (for UNSUPPORTED_VERSION), else is empty.
   */
  record Error(long requestId, int errorCode, long retryAfterMillis, List<Integer> versions)
      implements Frame {
    /** Copies the list. */
    public Error {
      versions = List.copyOf(versions);
    }

    @Override
    public int type() {
      return FrameType.ERROR.code();
    }
  }

  /** PUSH_MESSAGE: a new message for the receiving session; {@code requestId} is the push id. */
  record PushMessage(long requestId, long messageId, long sentAtMillis, String sender,
      String body) implements Frame {
    /** Checks for nulls. */
    public PushMessage {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(body, "body");
    }

    @Override
    public int type() {
      return FrameType.PUSH_MESSAGE.code();
    }
  }

  /** PUSH_STATE: a sent message reached {@code state} (2 DELIVERED, 3 READ). */
  record PushState(long requestId, long messageId, int state, String recipient)
      implements Frame {
    /** Checks for nulls. */
    public PushState {
      Objects.requireNonNull(recipient, "recipient");
    }

    @Override
    public int type() {
      return FrameType.PUSH_STATE.code();
    }
  }
}
