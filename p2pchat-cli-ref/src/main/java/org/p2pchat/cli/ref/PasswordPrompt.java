package org.p2pchat.cli.ref;

import java.io.Console;

/** Asks for a password without echo. The CLI uses {@link #CONSOLE}; tests substitute their own. */
@FunctionalInterface
public interface PasswordPrompt {

  /** The process's console, when it has one. */
  PasswordPrompt CONSOLE = prompt -> {
    Console console = System.console();
    return console == null ? null : console.readPassword("%s", prompt);
  };

  /**
   * Shows {@code prompt} and reads a line without echo.
   *
   * @return the characters typed, or null when there is no terminal to ask on
   */
  char[] readPassword(String prompt);
}
