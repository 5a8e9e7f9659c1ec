package org.p2pchat.protocol.secure.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough of a JSON reader for the Noise test-vector files: objects, arrays, strings, literals. */
final class MiniJson {
  private final String text;
  private int pos;

  private MiniJson(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object value = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw new IllegalArgumentException("trailing characters at " + p.pos);
    }
    return value;
  }

  private Object value() {
    skipSpace();
    char c = text.charAt(pos);
    if (c == '{') {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (text.charAt(pos) == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        map.put(key, value());
        skipSpace();
        if (text.charAt(pos) == ',') {
          pos++;
        } else {
          expect('}');
          return map;
        }
      }
    }
    if (c == '[') {
      List<Object> list = new ArrayList<>();
      pos++;
      skipSpace();
      if (text.charAt(pos) == ']') {
        pos++;
        return list;
      }
      while (true) {
        list.add(value());
        skipSpace();
        if (text.charAt(pos) == ',') {
          pos++;
        } else {
          expect(']');
          return list;
        }
      }
    }
    if (c == '"') {
      return string();
    }
    int start = pos;
    while (pos < text.length() && ",}] \n\r\t".indexOf(text.charAt(pos)) < 0) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (text.charAt(pos) != '"') {
      char c = text.charAt(pos++);
      if (c == '\\') {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    pos++;
    return sb.toString();
  }

  private void expect(char c) {
    if (text.charAt(pos) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + pos);
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }
}
