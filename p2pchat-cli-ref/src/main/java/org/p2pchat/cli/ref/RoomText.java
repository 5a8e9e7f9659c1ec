package org.p2pchat.cli.ref;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;

/** How rooms look, on screen and as JSON ({@code --json}). Immutable and thread-safe. */
final class RoomText {
  private final DateTimeFormatter dateTime;
  private final DateTimeFormatter time;

  RoomText(ZoneId zone) {
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(zone);
    this.time = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
  }

  /** {@code room 7 "team" (3 members, owner alice)}. */
  String room(Room r) {
    return "room " + r.id() + " \"" + MessageFormatter.safe(r.title()) + "\" (" + r.memberCount()
        + " member" + (r.memberCount() == 1 ? "" : "s") + ", owner " + r.owner() + ")";
  }

  /** {@code #12 [2026-11-25 11:20] alice: hi (read by 2)}. */
  String historyLine(RoomMessage m) {
    return "#" + m.id() + " [" + dateTime.format(m.sentAt()) + "] " + m.sender() + ": "
        + MessageFormatter.safe(m.body()) + (m.readCount() > 0 ? " (read by " + m.readCount() + ")" : "");
  }

  /** A live room message: {@code [11:20] room 7 alice: hi}. */
  String incoming(RoomMessage m) {
    return "[" + time.format(m.sentAt()) + "] room " + m.roomId() + " " + m.sender() + ": " + MessageFormatter.safe(m.body());
  }

  static String json(Room r) {
    return new Json().put("id", r.id()).put("title", r.title()).put("owner", r.owner().value())
        .put("members", r.memberCount()).toString();
  }

  static String json(RoomMember m) {
    return new Json().put("name", m.name().value()).put("readUpTo", m.readUpTo()).toString();
  }

  static String json(RoomMessage m) {
    return new Json().put("room", m.roomId()).put("id", m.id()).put("from", m.sender().value())
        .put("body", m.body()).put("sentAt", m.sentAt().toString()).put("readCount", m.readCount()).toString();
  }

  static <T> String array(Collection<T> items, java.util.function.Function<T, String> each) {
    StringBuilder a = new StringBuilder("[");
    for (T item : items) {
      if (a.length() > 1) {
        a.append(',');
      }
      a.append(each.apply(item));
    }
    return a.append(']').toString();
  }
}
