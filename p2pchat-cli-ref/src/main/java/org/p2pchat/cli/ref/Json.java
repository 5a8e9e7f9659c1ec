package org.p2pchat.cli.ref;

import java.util.Collection;
import java.util.OptionalLong;
import org.p2pchat.api.ChatMessage;

/**
 * Builds the one-line JSON objects that {@code --json} prints. Strings are escaped per RFC 8259,
 * so any message body survives a round trip through a JSON parser.
 *
 * <p>Not thread-safe; build one object on one thread.
 */
public final class Json {
  private final StringBuilder sb = new StringBuilder("{");

  /** An empty object. */
  public Json() {}

  /** Adds a string member. */
  public Json put(String name, String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  /** Adds a number member. */
  public Json put(String name, long value) {
    return raw(name, Long.toString(value));
  }

  /** Adds a boolean member. */
  public Json put(String name, boolean value) {
    return raw(name, Boolean.toString(value));
  }

  /** Adds a number member, or null when empty. */
  public Json put(String name, OptionalLong value) {
    return raw(name, value.isPresent() ? Long.toString(value.getAsLong()) : "null");
  }

  /** Adds a member whose value is already JSON. */
  public Json raw(String name, String json) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    sb.append(quote(name)).append(':').append(json);
    return this;
  }

  @Override
  public String toString() {
    return sb + "}";
  }

  /** A message as a JSON object: id, from, to, body, sentAt (ISO-8601, UTC), state. */
  public static String message(ChatMessage m) {
    return new Json()
        .put("id", m.id())
        .put("from", m.sender().value())
        .put("to", m.recipient().value())
        .put("body", m.body())
        .put("sentAt", m.sentAt().toString())
        .put("state", m.state().name())
        .toString();
  }

  /** An array of messages. */
  public static String messages(Collection<ChatMessage> messages) {
    StringBuilder a = new StringBuilder("[");
    for (ChatMessage m : messages) {
      if (a.length() > 1) {
        a.append(',');
      }
      a.append(message(m));
    }
    return a.append(']').toString();
  }

  /** An array of numbers. */
  public static String numbers(Collection<Long> numbers) {
    StringBuilder a = new StringBuilder("[");
    for (Long n : numbers) {
      if (a.length() > 1) {
        a.append(',');
      }
      a.append(n);
    }
    return a.append(']').toString();
  }

  /** A JSON string literal of {@code s}. */
  public static String quote(String s) {
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          q.append("\\\"");
          break;
        case '\\':
          q.append("\\\\");
          break;
        case '\n':
          q.append("\\n");
          break;
        case '\r':
          q.append("\\r");
          break;
        case '\t':
          q.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
      }
    }
    return q.append('"').toString();
  }
}
