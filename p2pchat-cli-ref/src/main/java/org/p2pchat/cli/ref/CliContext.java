package org.p2pchat.cli.ref;

import java.io.IOException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * What the commands get from the world outside: the environment, how to open clients and
 * terminals, how to ask for a password, and the time zone to show times in. Tests build one
 * from fakes.
 *
 * <p>Immutable and thread-safe.
 */
public final class CliContext {

  /** Opens the terminal of the interactive chat. */
  @FunctionalInterface
  public interface TerminalFactory {
    /** Opens a terminal; the caller closes it. */
    Terminal open() throws IOException;
  }

  final Map<String, String> env;
  final ClientFactory clients;
  final PasswordPrompt passwords;
  final TerminalFactory terminals;
  final ZoneId zone;

  /** A context; the environment map is copied. */
  public CliContext(Map<String, String> env, ClientFactory clients, PasswordPrompt passwords,
      TerminalFactory terminals, ZoneId zone) {
    this.env = Map.copyOf(env);
    this.clients = Objects.requireNonNull(clients, "clients");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.terminals = Objects.requireNonNull(terminals, "terminals");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** The real world: this process's environment, console, terminal and time zone, and the engine. */
  public static CliContext system() {
    return new CliContext(System.getenv(), ClientFactory.ENGINE, PasswordPrompt.CONSOLE,
        () -> TerminalBuilder.builder().system(true).name("p2pchat").build(), ZoneId.systemDefault());
  }
}
