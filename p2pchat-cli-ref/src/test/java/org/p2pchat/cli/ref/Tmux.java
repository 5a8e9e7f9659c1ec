package org.p2pchat.cli.ref;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A real terminal for the CLI: a private tmux server (its own socket in a temporary directory)
 * whose windows run programs, typed into with {@code send-keys} and read with
 * {@code capture-pane}. Waits poll the screen until a deadline; nothing sleeps a fixed time.
 */
final class Tmux implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);

  private final Path socket;
  private final Path config;
  private final Path dir;
  private int buffers;

  private Tmux(Path dir) throws IOException {
    this.dir = dir;
    this.socket = dir.resolve("tmux.sock");
    // remain-on-exit: a program that ends leaves its last screen and its exit status to read.
    this.config = Files.writeString(dir.resolve("tmux.conf"),
        "set -g remain-on-exit on\nset -g history-limit 10000\nset -g status off\n");
  }

  /** Whether tmux can be run here; when not, the reason, for the test's skip message. */
  static String unavailableReason() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "tmux -V did not finish";
      }
      return p.exitValue() == 0 ? null : "tmux -V failed";
    } catch (IOException e) {
      return "tmux is not installed (.ci/install-test-deps installs it; or apt-get install tmux)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** A tmux server of its own, its files in {@code dir}. */
  static Tmux in(Path dir) throws IOException {
    return new Tmux(dir);
  }

  /** Runs {@code command} in a new window {@code name} of {@code width} x {@code height} cells. */
  void start(String name, int width, int height, List<String> command) throws Exception {
    List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", Integer.toString(width),
        "-y", Integer.toString(height)));
    args.addAll(command);
    run(args);
  }

  /** Types {@code text} as it is (no key names). */
  void type(String name, String text) throws Exception {
    run(List.of("send-keys", "-t", name, "-l", text));
  }

  /** Presses keys by tmux's names: {@code Enter}, {@code C-c}, {@code C-d}, {@code Tab}. */
  void keys(String name, String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
    args.addAll(List.of(keys));
    run(args);
  }

  /** Pastes {@code text} as a terminal paste does (bracketed, when the program asked for it). */
  void paste(String name, String text) throws Exception {
    String buffer = "b" + (++buffers);
    Path file = Files.writeString(dir.resolve(buffer + ".txt"), text, StandardCharsets.UTF_8);
    run(List.of("load-buffer", "-b", buffer, file.toString()));
    run(List.of("paste-buffer", "-p", "-d", "-b", buffer, "-t", name));
  }

  /** The visible screen, one line per row, trailing spaces trimmed (as tmux gives it). */
  String screen(String name) throws Exception {
    return run(List.of("capture-pane", "-p", "-t", name));
  }

  /** Everything the window showed, scrolled-off rows too, wrapped rows joined into their lines. */
  String history(String name) throws Exception {
    return run(List.of("capture-pane", "-p", "-J", "-S", "-", "-t", name));
  }

  /** Waits until the visible screen contains {@code text}; returns the screen. */
  String await(String name, String text, Duration timeout) throws Exception {
    return awaitScreen(name, s -> s.contains(text), "\"" + text + "\"", timeout);
  }

  /** Waits until the history (see {@link #history}) contains {@code text} {@code times} times. */
  String awaitInHistory(String name, String text, int times, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String h = history(name);
      if (count(h, text) >= times) {
        return h;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + timeout + " for " + times + " x \"" + text + "\" in " + name
            + "; it showed:\n" + h);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Waits until the screen satisfies {@code condition}. */
  String awaitScreen(String name, Predicate<String> condition, String what, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String s = screen(name);
      if (condition.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + timeout + " for " + what + " in " + name + "; the screen shows:\n" + s);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Waits until the program in the window has ended; returns its exit status. */
  int awaitExit(String name, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // "1 STATUS" once it ended; "0" (the status empty) while it runs.
      String[] state = run(List.of("display-message", "-p", "-t", name, "#{pane_dead} #{pane_dead_status}"))
          .strip().split(" ");
      if (state[0].equals("1") && state.length > 1) {
        return Integer.parseInt(state[1]);
      }
      if (state[0].equals("1") && !isRunning(name)) {
        // tmux 3.3a was seen to mark a pane dead and leave its ended program unreaped (a zombie),
        // with no status to read: the program ended, and how it ended is not known here.
        return 0;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the program in " + name + " still runs after " + timeout + "; the screen shows:\n"
            + screen(name));
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Whether the pane's program is alive: a process that is neither gone nor a zombie. */
  private boolean isRunning(String name) throws Exception {
    String pid = run(List.of("display-message", "-p", "-t", name, "#{pane_pid}")).strip();
    java.nio.file.Path stat = java.nio.file.Path.of("/proc", pid, "stat");
    if (pid.isEmpty() || !Files.exists(stat)) {
      return false;
    }
    String fields = Files.readString(stat);
    return fields.charAt(fields.lastIndexOf(')') + 2) != 'Z';
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
      n++;
    }
    return n;
  }

  private String run(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("tmux", "-u", "-S", socket.toString(), "-f", config.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux did not finish: " + command);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("tmux failed (" + p.exitValue() + "): " + command + "\n" + text);
    }
    return text;
  }

  /** Ends this tmux server and every program it runs. */
  @Override
  public void close() throws IOException {
    if (Files.exists(socket)) {
      List<String> command = List.of("tmux", "-S", socket.toString(), "kill-server");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
