package org.p2pchat.protocol.server.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.codec.internal.LongParts;
import org.p2pchat.protocol.codec.internal.SendPartFlyweight;

/**
 * The long messages in assembly (docs/protocol.md section 23): the parts of each send so far,
 * per (session, idempotency key), until the last part makes it whole. Bounded three ways, each
 * enforced with a typed error or a drop: sends per session and bytes in all
 * ({@link ErrorCode#TOO_MANY_PARTIAL_SENDS}), and time since a send's last part (dropped, its
 * memory freed). A part that contradicts its send's earlier parts is {@link ErrorCode#BAD_PART}.
 * Owned by the loop.
 */
final class LongSends {
  /** How long a client waits before retrying a send refused for lack of room. */
  static final long RETRY_AFTER_MILLIS = 1000;

  /** One send in assembly: the whole body's bytes, filled part by part. */
  static final class Assembly {
    final Session session;
    final long key;
    final UserName recipient;
    final byte[] body;
    private final boolean[] received;
    private int missing;
    private long lastPartMillis;

    Assembly(Session session, long key, UserName recipient, int total, long nowMillis) {
      this.session = session;
      this.key = key;
      this.recipient = recipient;
      this.body = new byte[total];
      this.received = new boolean[LongParts.count(total)];
      this.missing = received.length;
      this.lastPartMillis = nowMillis;
    }
  }

  /** A send's name: the session (by identity) and the key. */
  private record Name(Session session, long key) {}

  private final Map<Name, Assembly> sends = new HashMap<>();
  private final Map<Session, Integer> perSession = new HashMap<>();
  private final int maxPerSession;
  private final long maxBytes;
  private final long timeoutMillis;
  private long bytes;

  LongSends(int maxPerSession, long maxBytes, long timeoutMillis) {
    this.maxPerSession = maxPerSession;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Takes in one part.
   *
   * @return the send, out of the table, when this part made it whole; null when parts are missing
   * @throws ChatException BAD_PART for a part whose total length or recipient differ from its
   *     send's; TOO_MANY_PARTIAL_SENDS for the first part of a send beyond the bounds
   */
  Assembly offer(Session session, SendPartFlyweight part, long nowMillis) {
    Name name = new Name(session, part.key());
    UserName recipient = UserName.of(part.recipient());
    Assembly a = sends.get(name);
    if (a == null) {
      int total = part.totalLength();
      if (perSession.getOrDefault(session, 0) >= maxPerSession || bytes + total > maxBytes) {
        throw ChatException.retryLater(ErrorCode.TOO_MANY_PARTIAL_SENDS, RETRY_AFTER_MILLIS);
      }
      a = new Assembly(session, part.key(), recipient, total, nowMillis);
      sends.put(name, a);
      perSession.merge(session, 1, Integer::sum);
      bytes += total;
    } else if (a.body.length != part.totalLength() || !a.recipient.equals(recipient)) {
      throw new ChatException(ErrorCode.BAD_PART, "the part's total length or recipient differ from its send's");
    }
    a.lastPartMillis = nowMillis;
    int index = part.partIndex();
    if (!a.received[index]) {
      part.copyPart(a.body, index * LongParts.PART_BYTES);
      a.received[index] = true;
      a.missing--;
    }
    if (a.missing > 0) {
      return null;
    }
    remove(name, a);
    return a;
  }

  /** Drops the sends that waited longer than the timeout for their next part. */
  void expire(long nowMillis) {
    Iterator<Map.Entry<Name, Assembly>> it = sends.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Name, Assembly> e = it.next();
      Assembly a = e.getValue();
      if (nowMillis - a.lastPartMillis >= timeoutMillis || a.session.closed) {
        it.remove();
        release(a);
      }
    }
  }

  /** How many sends are in assembly. */
  int size() {
    return sends.size();
  }

  /** How many bytes the sends in assembly hold. */
  long bytes() {
    return bytes;
  }

  private void remove(Name name, Assembly a) {
    sends.remove(name);
    release(a);
  }

  private void release(Assembly a) {
    bytes -= a.body.length;
    perSession.computeIfPresent(a.session, (s, n) -> n > 1 ? n - 1 : null);
  }
}
