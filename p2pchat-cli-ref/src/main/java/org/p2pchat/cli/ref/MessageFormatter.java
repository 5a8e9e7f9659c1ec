package org.p2pchat.cli.ref;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/**
 * How messages look on screen, one message per line as in irssi or weechat:
 * {@code [11:20] me -> bob: hi bob!  ✓✓ read}. A body of several lines shows its first on the
 * header line and the others indented beneath it, under the first character of the text.
 *
 * <p>Control characters in bodies are shown as {@code ?} so that a peer cannot move the cursor
 * or rewrite the screen of whoever reads their message.
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageFormatter {
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter time;
  private final Clock clock;
  private final boolean unicode;

  /** A formatter showing times in {@code zone}, with Unicode marks. */
  public MessageFormatter(ZoneId zone) {
    this(Clock.system(zone), true);
  }

  /**
   * A formatter showing times in {@code clock}'s zone, and {@code clock}'s time for messages
   * not yet stored.
   *
   * @param unicode whether the terminal shows {@code ✓}; else the marks are ASCII
   */
  public MessageFormatter(Clock clock, boolean unicode) {
    ZoneId zone = clock.getZone();
    this.clock = clock;
    this.unicode = unicode;
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
    this.time = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
  }

  /** The zone this formatter shows times in. */
  public ZoneId zone() {
    return clock.getZone();
  }

  /** The same formatter with ASCII marks, for terminals that cannot show {@code ✓}. */
  public MessageFormatter ascii() {
    return new MessageFormatter(clock, false);
  }

  /** What a message of this user has come to, as its mark on screen shows it. */
  public enum Mark {
    /** Waiting to be sent: behind another send, or while the client is offline. */
    QUEUED,
    /** Sent, not yet acknowledged. */
    SENDING,
    /** Stored by the server. */
    STORED,
    /** Stored, and not delivered a moment later: the recipient is offline. */
    STORED_OFFLINE,
    /** Delivered to a device of the recipient. */
    DELIVERED,
    /** Read by the recipient. */
    READ,
    /** Refused or lost; the mark says why. */
    FAILED;

    /** The mark that a delivery state shows as. */
    public static Mark of(DeliveryState state) {
      switch (state) {
        case READ:
          return READ;
        case DELIVERED:
          return DELIVERED;
        default:
          return STORED;
      }
    }

    /** Whether {@code later} is news after this mark (states only move forward). */
    public boolean isBefore(Mark later) {
      return later == FAILED || later.ordinal() > ordinal();
    }
  }

  /**
   * The text of a mark: {@code · queued}, {@code ✓ stored}, {@code ✓✓ read}, ...
   *
   * @param recipient whom the message is for (named by the offline mark)
   * @param why the reason, for {@link Mark#FAILED}
   */
  public String mark(Mark mark, UserName recipient, String why) {
    String one = unicode ? "\u2713" : "+";
    String two = unicode ? "\u2713\u2713" : "++";
    String dot = unicode ? "\u00b7" : "-";
    switch (mark) {
      case QUEUED:
        return dot + " queued";
      case SENDING:
        return dot + " sending";
      case STORED:
        return one + " stored";
      case STORED_OFFLINE:
        return one + " stored for " + recipient + " (offline)";
      case DELIVERED:
        return two + " delivered";
      case READ:
        return two + " read";
      default:
        return (unicode ? "\u2717" : "x") + " not sent: " + why;
    }
  }

  /**
   * A message this user is sending, as its lines (the header line first, without its mark):
   * {@code [11:20] me -> bob: hi}, stamped with the time now.
   */
  public List<String> outgoing(UserName recipient, String body) {
    return lines("[" + time.format(clock.instant()) + "] me -> " + recipient + ": ", body);
  }

  /**
   * A live incoming message: {@code [11:20] bob: hi}; one from someone other than the person
   * being talked to stands out: {@code [11:20] *carol*: hi}.
   */
  public List<String> incoming(ChatMessage m, boolean fromPartner) {
    String who = fromPartner ? m.sender().value() : "*" + m.sender() + "*";
    return lines("[" + time.format(m.sentAt()) + "] " + who + ": ", m.body());
  }

  /** A live incoming message from the person being talked to, as one string. */
  public String incoming(ChatMessage m) {
    return String.join("\n", incoming(m, true));
  }

  /**
   * A history line: {@code #12 [2026-11-25 11:20] alice -> bob: hi (read)}; the state is shown
   * for messages {@code me} sent, and "new" for unread ones addressed to {@code me}. A body of
   * several lines continues on indented lines.
   */
  public List<String> historyLines(ChatMessage m, UserName me) {
    List<String> lines = lines("#" + m.id() + " [" + dateTime.format(m.sentAt()) + "] " + m.sender() + " -> "
        + m.recipient() + ": ", m.body());
    int last = lines.size() - 1;
    lines.set(last, lines.get(last) + stateNote(m, me));
    return lines;
  }

  /** {@link #historyLines} as one string, lines separated by {@code \n}. */
  public String historyLine(ChatMessage m, UserName me) {
    return String.join("\n", historyLines(m, me));
  }

  /** {@code instant} as a date and time: {@code 2026-11-25 11:20}. */
  public String dateTime(Instant instant) {
    return dateTime.format(instant);
  }

  /** The time of day of {@code instant}, as the header lines show it. */
  public String timeOfDay(Instant instant) {
    return time.format(instant);
  }

  /**
   * {@code header} then the body's first line; each further line of the body indented to the
   * header's width. Control characters other than line breaks are shown as {@code ?}.
   */
  static List<String> lines(String header, String body) {
    String[] parts = body.split("\r?\n", -1);
    List<String> lines = new ArrayList<>(parts.length);
    String indent = " ".repeat(header.length());
    for (int i = 0; i < parts.length; i++) {
      // Tabs as spaces: the screen counts columns to update marks in place.
      lines.add((i == 0 ? header : indent) + safe(parts[i]).replace("\t", "    "));
    }
    return lines;
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
