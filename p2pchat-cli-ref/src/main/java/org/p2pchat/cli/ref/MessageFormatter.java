package org.p2pchat.cli.ref;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/**
 * How messages look on screen. Control characters in bodies are shown as {@code ?} so that a
 * peer cannot move the cursor or rewrite the screen of whoever reads their message.
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageFormatter {
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter time;

  /** A formatter showing times in {@code zone}. */
  public MessageFormatter(ZoneId zone) {
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
    this.time = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
  }

  /**
   * A history line: {@code #12 [2026-11-25 11:20] alice -> bob: hi (read)}; the state is shown
   * for messages {@code me} sent, and "new" for unread ones addressed to {@code me}.
   */
  public String historyLine(ChatMessage m, UserName me) {
    return "#" + m.id() + " [" + dateTime.format(m.sentAt()) + "] " + m.sender() + " -> " + m.recipient()
        + ": " + safe(m.body()) + stateNote(m, me);
  }

  /** A live incoming message: {@code [11:20] bob: hi}. */
  public String incoming(ChatMessage m) {
    return "[" + time.format(m.sentAt()) + "] " + m.sender() + ": " + safe(m.body());
  }

  /** A message this user sent, as acknowledged by the server: {@code [11:20] me -> bob: hi}. */
  public String sent(ChatMessage m) {
    return "[" + time.format(m.sentAt()) + "] me -> " + m.recipient() + ": " + safe(m.body());
  }

  /** A delivery state change of a message this user sent. */
  public String stateChange(long messageId, UserName recipient, DeliveryState state) {
    String what = state == DeliveryState.READ ? "read by " : state == DeliveryState.DELIVERED ? "delivered to " : "stored for ";
    return "  (#" + messageId + " " + what + recipient + ")";
  }

  private static String stateNote(ChatMessage m, UserName me) {
    if (m.sender().equals(me)) {
      return " (" + m.state().name().toLowerCase(Locale.ROOT) + ")";
    }
    return m.state() == DeliveryState.READ ? "" : " (new)";
  }

  /** {@code text} with control characters (other than tab) replaced by {@code ?}. */
  public static String safe(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0);
      if (control) {
        if (sb == null) {
          sb = new StringBuilder(text.substring(0, i));
        }
        sb.append('?');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }
}
