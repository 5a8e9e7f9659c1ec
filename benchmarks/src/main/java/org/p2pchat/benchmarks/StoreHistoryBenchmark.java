package org.p2pchat.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.sqlite.SqliteChatStore;

/**
 * Reading one history page from a SQLite store of 100,000 messages among 100 users, through the
 * store's reader pool: the newest page of a user's whole history, and of one conversation.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar StoreHistoryBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StoreHistoryBenchmark {
  private static final int USERS = 100;
  private static final int MESSAGES = 100_000;

  private static final UserName READER = UserName.of("user0");
  private static final HistoryQuery LATEST = HistoryQuery.latest();
  private static final HistoryQuery CONVERSATION = HistoryQuery.builder().peer(UserName.of("user1")).build();

  private Path dir;
  private SqliteChatStore store;

  /** Fills a fresh store. */
  @Setup(Level.Trial)
  public void fill() throws IOException {
    dir = Files.createTempDirectory("p2pchat-history-bench");
    store = SqliteChatStore.open(dir.resolve("chat.db"));
    for (int i = 0; i < USERS; i++) {
      store.createUser(StoredUser.of(UserName.of("user" + i), "hash", Instant.EPOCH)).join();
    }
    Random random = new Random(1);
    for (int done = 0; done < MESSAGES; done += 1000) {
      List<NewMessage> batch = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++) {
        batch.add(NewMessage.of(UserName.of("user" + random.nextInt(USERS)), UserName.of("user" + random.nextInt(USERS)),
            "a message of about a hundred bytes, which is a typical chat line; long enough to be realistic.",
            Instant.ofEpochMilli(done + i)));
      }
      store.append(batch).join();
    }
  }

  /** Closes the store and deletes its files. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** The newest page of everything the reader sent or received. */
  @Benchmark
  public HistoryPage latestPage() {
    return store.history(READER, LATEST).join();
  }

  /** The newest page of the reader's conversation with one peer. */
  @Benchmark
  public HistoryPage conversationPage() {
    return store.history(READER, CONVERSATION).join();
  }
}
