package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code p2pchat-server admin --db DB ...} (or other store options) in this JVM, as {@link ServerMain} would, and keeps what it printed. */
final class AdminRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final java.util.List<String> store;
  private final Map<String, String> env;
  /** What reset-password's prompt answers, in order; null when empty (no terminal). */
  final Deque<String> typed = new ArrayDeque<>();
  Clock clock = Clock.systemUTC();

  AdminRun(Path db) {
    this(java.util.List.of("--db", db.toString()), Map.of());
  }

  /** Runs {@code admin STORE-OPTIONS ...} in the environment {@code env}. */
  AdminRun(java.util.List<String> storeOptions, Map<String, String> env) {
    this.store = java.util.List.copyOf(storeOptions);
    this.env = Map.copyOf(env);
  }

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = ServerMain.commandLine(new ServerCommand(new FakeServerFactory(), stop -> {}), env);
    AdminCommand admin = (AdminCommand) cl.getSubcommands().get("admin").getCommand();
    admin.passwords = prompt -> typed.isEmpty() ? null : typed.poll().toCharArray();
    admin.clock = clock;
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    java.util.List<String> all = new java.util.ArrayList<>();
    all.add("admin");
    all.addAll(store);
    all.addAll(java.util.List.of(args));
    return cl.execute(all.toArray(String[]::new));
  }
}
