package org.p2pchat.cli.ref;

import java.io.Console;

/** Asks for a password without echo. The CLI uses {@link #CONSOLE}; tests substitute their own. */
@FunctionalInterface
public interface PasswordPrompt {

  /** The process's console, when it has one. */
  PasswordPrompt CONSOLE = prompt -> {
    Console console = System.console();
    if (console == null) {
      return null;
    }
    char[] typed = console.readPassword("%s", prompt);
    if (typed == null) {
      throw new java.util.concurrent.CancellationException("Ctrl-D at the password prompt");
    }
    return typed;
  };

  /**
   * Shows {@code prompt} and reads a line without echo.
   *
   * @return the characters typed, or null when there is no terminal to ask on
   * @throws java.util.concurrent.CancellationException when the person ended the input (Ctrl-D)
   */
  char[] readPassword(String prompt);
}
