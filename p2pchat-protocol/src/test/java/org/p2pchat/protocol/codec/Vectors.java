package org.p2pchat.protocol.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads test vectors in the format of docs/protocol.md: {@code vector NAME}, lines of hex bytes
 * each optionally followed by {@code | comment}, then {@code end}. Other lines are ignored, so
 * the same parser reads the Markdown page and the resource file. Public for the flyweight tests
 * of the internal codec package.
 */
public final class Vectors {
  private Vectors() {}

  /** The vectors of the test resource, by name, in file order. */
  public static Map<String, byte[]> fromResource() {
    try (InputStream in = Vectors.class.getResourceAsStream("vectors.txt")) {
      if (in == null) {
        throw new IllegalStateException("vectors.txt is missing from the test resources");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The vectors of {@code text}, by name, in order. */
  public static Map<String, byte[]> parse(String text) {
    Map<String, byte[]> vectors = new LinkedHashMap<>();
    String name = null;
    StringBuilder hex = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (name == null) {
        if (line.startsWith("vector ")) {
          name = line.substring("vector ".length()).strip();
          hex.setLength(0);
        }
      } else if (line.equals("end")) {
        if (vectors.put(name, HexFormat.of().parseHex(hex)) != null) {
          throw new IllegalStateException("vector " + name + " appears twice");
        }
        name = null;
      } else {
        int bar = line.indexOf('|');
        hex.append((bar < 0 ? line : line.substring(0, bar)).replace(" ", ""));
      }
    }
    if (name != null) {
      throw new IllegalStateException("vector " + name + " has no end line");
    }
    return vectors;
  }

  /** {@code bytes} in lower-case hex, for readable failures. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
