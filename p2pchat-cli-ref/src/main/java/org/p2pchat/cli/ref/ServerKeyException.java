package org.p2pchat.cli.ref;

import java.io.IOException;

/**
 * The server's key could not be settled: it changed since it was first trusted, or it could
 * not be learned, or the option naming it is wrong. Carries the exit status a script sees.
 */
public final class ServerKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** @param sentences what happened and what to do, in plain sentences (may span lines) */
  public ServerKeyException(String sentences, int exitCode) {
    super(sentences);
    this.exitCode = exitCode;
  }

  /** The exit status, from {@link ExitCodes}. */
  public int exitCode() {
    return exitCode;
  }
}
