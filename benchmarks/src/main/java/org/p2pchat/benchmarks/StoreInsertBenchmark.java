package org.p2pchat.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * Durable message inserts per second through {@link SqliteChatStore} with
 * {@code synchronous=FULL}, two ways in one run:
 *
 * <ul>
 *   <li><b>one transaction per message</b>: one appender appends one message and waits for its
 *       future before the next, so every message pays its own commit and disk flush;
 *   <li><b>group commit</b>: several appender threads keep many single-message appends in flight
 *       at once (as a server's event loop does), so the writer commits whatever queued up in one
 *       transaction and one flush.
 * </ul>
 *
 * <p>Both go through exactly the same store code; only the offered concurrency differs. A plain
 * harness rather than JMH because what is measured is a rate over seconds of disk flushes, not a
 * method call. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * org.p2pchat.benchmarks.StoreInsertBenchmark [seconds] [appenders] [inFlightPerAppender] [dir]}.
 */
public final class StoreInsertBenchmark {
  private StoreInsertBenchmark() {}

  /**
   * Runs the benchmark and prints both rates and their ratio.
   *
   * @param args optional: seconds per measurement (default 8), appender threads for group commit
   *     (default 4), appends in flight per appender (default 500), directory for the database
   *     files (default a new temporary directory, deleted afterwards)
   * @throws Exception when the store cannot be opened or an append fails
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int appenders = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path dir = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : Files.createTempDirectory("p2pchat-store-bench");
    PrintStream out = System.out;
    out.printf("store insert benchmark: synchronous=FULL, dir=%s, JDK %s, %d cores, %d s per measurement%n",
        dir, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
    try {
      // Warm up the JIT on both paths, then measure each on a fresh database file.
      oneTransactionPerMessage(dir.resolve("warm-1.db"), 2);
      groupCommit(dir.resolve("warm-2.db"), 2, appenders, inFlight);
      double single = oneTransactionPerMessage(dir.resolve("single.db"), seconds);
      out.printf(Locale.ROOT, "one transaction per message (1 appender, awaits each append): %,.0f messages/s%n", single);
      double group = groupCommit(dir.resolve("group.db"), seconds, appenders, inFlight);
      out.printf(Locale.ROOT, "group commit (%d appenders x %d appends in flight):            %,.0f messages/s%n",
          appenders, inFlight, group);
      out.printf(Locale.ROOT, "ratio: %.1fx%n", group / single);
    } finally {
      if (args.length <= 3) {
        deleteRecursively(dir);
      }
    }
  }

  private static double oneTransactionPerMessage(Path file, int seconds) throws IOException {
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      AppendLoad.createUsers(store);
      return AppendLoad.oneAtATime(store, seconds);
    }
  }

  private static double groupCommit(Path file, int seconds, int appenders, int inFlight) throws Exception {
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      AppendLoad.createUsers(store);
      return AppendLoad.inFlight(List.of(store), seconds, appenders, inFlight);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
