package org.p2pchat.cli.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.p2pchat.api.ProtocolLimits;

/**
 * Splits a message longer than one message may be (64 KiB, the SDK's limit: it sends a longer
 * body than one datagram holds in parts and it arrives whole, docs/protocol.md section 23) into
 * several that each fit, at a line break if there is one in the second half of the part, else
 * at a space, else between two characters (never inside one). Stateless.
 */
final class LongMessages {
  /** The most bytes of UTF-8 one message body holds, the SDK's limit. */
  static final int LIMIT_BYTES = ProtocolLimits.MAX_LONG_BODY_BYTES;

  private LongMessages() {}

  /**
   * {@code body} in parts of at most {@code limitBytes} bytes of UTF-8 each; a body that fits is
   * its only part. The breaks chosen (a line break or a space) are dropped.
   *
   * @throws IllegalArgumentException when {@code body} holds an unpaired surrogate
   */
  static List<String> split(String body, int limitBytes) {
    List<String> parts = new ArrayList<>();
    String rest = body;
    while (ProtocolLimits.utf8Length(rest) > limitBytes) {
      int end = fittingPrefix(rest, limitBytes);
      int cut = rest.lastIndexOf('\n', end - 1);
      if (cut < end / 2) {
        cut = Math.max(rest.lastIndexOf(' ', end - 1), rest.lastIndexOf('\t', end - 1));
      }
      String part;
      if (cut >= end / 2 && cut > 0) {
        part = rest.substring(0, cut);
        rest = rest.substring(cut + 1);
      } else {
        part = rest.substring(0, end);
        rest = rest.substring(end);
      }
      if (!part.isBlank()) {
        parts.add(part);
      }
    }
    if (!rest.isBlank() || parts.isEmpty()) {
      parts.add(rest);
    }
    return parts;
  }

  /** The length in chars of the longest prefix of {@code text} that fits {@code limitBytes}. */
  private static int fittingPrefix(String text, int limitBytes) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > limitBytes) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return i;
  }

  /** What the chat says when {@code body} goes as {@code parts} messages: the limit, named. */
  static String overTheLimit(String body, int parts) {
    return "(that message is " + describe(body) + ", over the limit of " + LIMIT_BYTES
        + " bytes for one message: it goes as " + parts + " messages)";
  }

  /** How long {@code body} is, for people: {@code "5,000 characters"}. */
  static String describe(String body) {
    return String.format(Locale.ROOT, "%,d characters", body.codePointCount(0, body.length()));
  }
}
