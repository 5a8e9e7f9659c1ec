package org.p2pchat.cli.ref;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;

/**
 * The chat's output: lines printed above the prompt, and message lines whose mark at the end of
 * the header line ({@code ✓ stored}, then {@code ✓✓ read}) is rewritten in place when it changes.
 *
 * <p>To find a line again it counts the terminal rows it printed; every line the chat shows
 * goes through here, and the readers erase their own line when they finish
 * ({@link LineReader.Option#ERASE_LINE_ON_FINISH}), so the count stays true. When it cannot be
 * (the line scrolled off the screen, the terminal was resized, a dumb terminal, a mark that
 * would not fit on the row), the new mark is printed on a line of its own below, never above its
 * message.
 *
 * <p>Thread-safe: the chat's thread and the client's listener thread both print.
 */
final class Screen {
  private static final String CSI = "\u001b[";

  private final Terminal terminal;
  private final boolean ansi;
  private LineReader reader;
  /** The row the cursor is on, counted from the first row this screen printed. */
  private long row;
  private final Map<Object, Tracked> tracked = new HashMap<>();

  /** Where a message's mark is on screen. */
  private static final class Tracked {
    final long markRow;
    final int markColumn;
    final int width;

    Tracked(long markRow, int markColumn, int width) {
      this.markRow = markRow;
      this.markColumn = markColumn;
      this.width = width;
    }
  }

  Screen(Terminal terminal) {
    this.terminal = terminal;
    this.ansi = !terminal.getType().startsWith("dumb")
        && terminal.getStringCapability(Capability.cursor_up) != null;
  }

  /** From now on, prints above {@code reader}'s prompt while it reads. */
  synchronized void attach(LineReader reader) {
    this.reader = reader;
  }

  /** Whether marks can be rewritten in place on this terminal. */
  boolean updatesInPlace() {
    return ansi;
  }

  /** Prints {@code text}; a {@code \n} in it starts a new line. */
  synchronized void println(String text) {
    print(List.of(text.split("\n", -1)), false);
  }

  /** Prints {@code lines}, bold when they should stand out. */
  synchronized void print(List<String> lines, boolean standOut) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(styled(lines.get(i), standOut));
      row += rows(columns(lines.get(i)));
    }
    emit(out.toString());
  }

  /**
   * Prints a message whose header line (the first of {@code lines}) ends in {@code mark}, and
   * remembers where the mark is so that {@link #mark} can rewrite it.
   */
  synchronized void printMessage(Object key, List<String> lines, String mark) {
    int width = width();
    String header = lines.get(0);
    int headerColumns = columns(header);
    int column = headerColumns % width;
    long markRow = row + headerColumns / width;
    if (ansi && column + 2 + columns(mark) <= width) {
      tracked.put(key, new Tracked(markRow, column, width));
    }
    List<String> all = new java.util.ArrayList<>(lines);
    all.set(0, header + "  " + mark);
    print(all, false);
  }

  /**
   * Shows a message's new mark: in place when its line is still where it was and the mark fits
   * on its row, else as {@code fallback}, a line of its own below, when there is one (null: a
   * mark not worth a line of its own).
   */
  synchronized void mark(Object key, String mark, String fallback) {
    Tracked t = tracked.get(key);
    long up = t == null ? 0 : row - t.markRow;
    boolean inPlace = t != null && t.width == width() && up >= 1 && up < terminal.getHeight()
        && t.markColumn + 2 + columns(mark) <= t.width;
    if (!inPlace) {
      if (fallback != null) {
        println(fallback);
      }
      return;
    }
    StringBuilder out = new StringBuilder();
    out.append(CSI).append(up).append('A');
    out.append(CSI).append(t.markColumn + 1).append('G');
    out.append("  ").append(mark).append(CSI).append('K');
    out.append('\r');
    if (up > 1) {
      out.append(CSI).append(up - 1).append('B');
    }
    out.append('\n'); // back on the row it started on: printAbove adds no newline after one
    emit(out.toString());
  }

  /** Stops tracking a message whose mark will not change again. */
  synchronized void forget(Object key) {
    tracked.remove(key);
  }

  /** Stops tracking everything: something printed behind this screen's back. */
  synchronized void lostCount() {
    tracked.clear();
  }

  private String styled(String line, boolean standOut) {
    if (!standOut || !ansi) {
      return line;
    }
    return new AttributedString(line, AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW)).toAnsi(terminal);
  }

  private void emit(String text) {
    LineReader r = reader;
    if (r != null) {
      r.printAbove(text);
    } else {
      PrintWriter w = terminal.writer();
      w.print(text.endsWith("\n") ? text : text + "\n");
      w.flush();
    }
  }

  private int width() {
    int w = terminal.getWidth();
    return w > 0 ? w : 80;
  }

  private long rows(int columns) {
    int width = width();
    return columns == 0 ? 1 : (columns + width - 1) / width;
  }

  /** The columns {@code text} takes on a terminal (wide characters count two). */
  static int columns(String text) {
    return new AttributedString(text).columnLength();
  }
}
