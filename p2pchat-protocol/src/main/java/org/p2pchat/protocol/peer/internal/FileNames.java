package org.p2pchat.protocol.peer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Offered names made safe to create in a directory, and final names that overwrite nothing. */
final class FileNames {
  /** The most UTF-8 bytes kept of a name (the part file adds 22 to it, a file system allows 255). */
  static final int MAX_BYTES = 200;
  private static final java.util.regex.Pattern WINDOWS_RESERVED =
      java.util.regex.Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\\..*)?");
  /** The most {@code name (n).ext} candidates tried before giving up. */
  static final int MAX_COPIES = 9999;

  private FileNames() {}

  /**
   * The offered name as a plain file name: path separators, control characters and the
   * characters Windows forbids become '_', leading dots and spaces are dropped (no ".." or
   * hidden files), trailing dots and spaces too.
   *
   * @return the name, or null when the bytes are not UTF-8 or nothing usable is left
   */
  static String sanitise(byte[] utf8, int length) {
    String raw;
    try {
      raw = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    StringBuilder b = new StringBuilder(raw.length());
    raw.codePoints().forEach(cp -> {
      boolean bad = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)
          || "/\\:*?\"<>|".indexOf(cp) >= 0 || cp == 0x2028 || cp == 0x2029
          || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
          || cp == 0x061c; // bidirectional controls: "invoice\u202Efdp.exe" must not pass for a PDF
      b.appendCodePoint(bad ? '_' : cp);
    });
    int start = 0;
    while (start < b.length() && (b.charAt(start) == '.' || b.charAt(start) == ' ')) {
      start++;
    }
    int end = b.length();
    while (end > start && (b.charAt(end - 1) == '.' || b.charAt(end - 1) == ' ')) {
      end--;
    }
    String name = b.substring(start, end);
    // At most MAX_BYTES of UTF-8 (file systems count bytes: ext4 allows 255, and the part file adds 22).
    int cut = name.length();
    while (cut > 0 && name.substring(0, cut).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      cut--;
      if (cut > 0 && Character.isLowSurrogate(name.charAt(cut))) {
        cut--;
      }
    }
    name = name.substring(0, cut);
    if (WINDOWS_RESERVED.matcher(name).matches()) {
      name = "_" + name; // CON, NUL, COM1, ... name devices on Windows, whatever their extension
    }
    return name.isEmpty() || name.chars().allMatch(c -> c == '_') ? null : name;
  }

  /**
   * The first of {@code name}, {@code name (1).ext}, {@code name (2).ext} ... that does not
   * exist in {@code dir}, or null after {@link #MAX_COPIES}.
   */
  static Path freeName(Path dir, String name) {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int n = 0; n <= MAX_COPIES; n++) {
      Path candidate = dir.resolve(n == 0 ? name : stem + " (" + n + ")" + ext);
      if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
    }
    return null;
  }
}
