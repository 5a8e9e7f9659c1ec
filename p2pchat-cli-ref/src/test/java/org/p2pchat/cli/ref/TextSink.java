package org.p2pchat.cli.ref;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A terminal's output as text that a test can wait on: {@link #await} blocks until the text
 * appears or the timeout passes, so tests never sleep.
 */
final class TextSink extends OutputStream {
  /** ANSI escape sequences (cursor moves, colours), which the tests do not care about. */
  private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[=>]|\r");

  private final java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
  private int mark;

  @Override
  public synchronized void write(int b) {
    raw.write(b);
    notifyAll();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    raw.write(b, off, len);
    notifyAll();
  }

  /** Everything written, escape sequences removed. */
  synchronized String text() {
    return ESCAPES.matcher(new String(raw.toByteArray(), StandardCharsets.UTF_8)).replaceAll("");
  }

  /**
   * Waits until {@code expected} appears after the end of the previous match, then moves past it.
   *
   * @throws AssertionError with the text so far when it does not appear in time
   */
  synchronized void await(String expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String text = text();
      int at = text.indexOf(expected, mark);
      if (at >= 0) {
        mark = at + expected.length();
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("waited " + timeout + " for \"" + expected + "\"; the screen shows:\n"
            + text.substring(Math.min(mark, text.length())) + "\n(before that:)\n"
            + text.substring(Math.max(0, Math.min(mark, text.length()) - 600), Math.min(mark, text.length())));
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
