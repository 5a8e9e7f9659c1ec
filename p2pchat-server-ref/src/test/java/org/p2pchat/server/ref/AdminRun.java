package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code p2pchat-server admin --db DB ...} in this JVM, as {@link ServerMain} would, and keeps what it printed. */
final class AdminRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final Path db;
  /** What reset-password's prompt answers, in order; null when empty (no terminal). */
  final Deque<String> typed = new ArrayDeque<>();
  Clock clock = Clock.systemUTC();

  AdminRun(Path db) {
    this.db = db;
  }

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cl = ServerMain.commandLine(new ServerCommand(new FakeServerFactory(), stop -> {}), Map.of());
    AdminCommand admin = (AdminCommand) cl.getSubcommands().get("admin").getCommand();
    admin.passwords = prompt -> typed.isEmpty() ? null : typed.poll().toCharArray();
    admin.clock = clock;
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = "admin";
    all[1] = "--db";
    all[2] = db.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return cl.execute(all);
  }
}
