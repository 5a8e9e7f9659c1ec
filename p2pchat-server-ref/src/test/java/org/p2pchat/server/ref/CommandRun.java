package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import picocli.CommandLine;

/** Runs the server command in this JVM, as {@link ServerMain} would, and keeps what it printed. */
final class CommandRun {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  private final ServerFactory factory;
  private final Map<String, String> env;

  CommandRun(ServerFactory factory, Map<String, String> env) {
    this.factory = factory;
    this.env = env;
  }

  /** Runs a command that is expected to end by itself: help, version, an error. */
  int run(String... args) {
    CompletableFuture<IntSupplier> stop = new CompletableFuture<>();
    int status = commandLine(stop).execute(args);
    assertThat(stop).as("a run that ended by itself registered no stop action").isNotDone();
    return status;
  }

  /** Starts a server, stops it as SIGTERM would once it has started, and returns its exit status. */
  int startAndStop(String... args) throws Exception {
    CompletableFuture<IntSupplier> stop = new CompletableFuture<>();
    CommandLine cl = commandLine(stop);
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> cl.execute(args));
    CompletableFuture.anyOf(stop, status).get(30, TimeUnit.SECONDS);
    assertThat(stop).as("started; stderr: %s", err).isDone();
    assertThat(stop.get().getAsInt()).as("stop status").isZero();
    return status.get(30, TimeUnit.SECONDS);
  }

  /** A server started in the background: its stop action, once registered, and its exit status. */
  record Started(CompletableFuture<IntSupplier> stop, CompletableFuture<Integer> status) {}

  /** Starts a server in the background, for a test that watches it run (or give up by itself). */
  Started start(String... args) {
    CompletableFuture<IntSupplier> stop = new CompletableFuture<>();
    CommandLine cl = commandLine(stop);
    return new Started(stop, CompletableFuture.supplyAsync(() -> cl.execute(args)));
  }

  private CommandLine commandLine(CompletableFuture<IntSupplier> stop) {
    CommandLine cl = ServerMain.commandLine(new ServerCommand(factory, stop::complete), env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl;
  }
}
