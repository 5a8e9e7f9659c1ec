package org.p2pchat.cli.ref;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A terminal's input that a test types into; reads block until something is typed. */
final class Keyboard extends InputStream {
  private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

  /** Types {@code text} (use "\n" for Enter, "\t" for Tab, "\u0004" for Ctrl-D). */
  void type(String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      keys.add(b & 0xff);
    }
  }

  @Override
  public int read() {
    try {
      return keys.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int first = read();
    if (first < 0) {
      return -1;
    }
    b[off] = (byte) first;
    int n = 1;
    Integer next;
    while (n < len && (next = keys.poll()) != null) {
      b[off + n++] = next.byteValue();
    }
    return n;
  }

  @Override
  public int available() {
    return keys.size();
  }
}
