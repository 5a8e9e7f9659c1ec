package org.p2pchat.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/**
 * The two ways the store insert benchmarks append, for any {@link ChatStore}: one message at a
 * time, each awaited (one transaction per message), or many appends kept in flight by several
 * threads, as a server's event loop does (group commit). Messages are ~100 bytes between two of
 * {@value #USERS} users.
 */
final class AppendLoad {
  static final int USERS = 100;
  private static final String BODY = "a message of about a hundred bytes, which is a typical chat line; "
      + "long enough to be realistic.";

  private AppendLoad() {}

  /** Creates the users the messages name. */
  static void createUsers(ChatStore store) {
    List<CompletableFuture<Void>> created = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      created.add(store.createUser(StoredUser.of(user(i), "$argon2id$v=19$m=19456,t=2,p=1$bench$bench", Instant.now())));
    }
    created.forEach(CompletableFuture::join);
  }

  /** Appends one message at a time for {@code seconds}, each awaited; returns messages per second. */
  static double oneAtATime(ChatStore store, int seconds) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    long count = 0;
    while (System.nanoTime() < end) {
      store.append(List.of(randomMessage())).join();
      count++;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Keeps {@code inFlight} single-message appends in flight from each of {@code appenders}
   * threads for {@code seconds}, the threads spread evenly over {@code stores}; returns the
   * acknowledged messages per second of all of them together.
   */
  static double inFlight(List<? extends ChatStore> stores, int seconds, int appenders, int inFlight)
      throws InterruptedException {
    AtomicLong completed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicBoolean failed = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    List<Semaphore> windows = new ArrayList<>();
    for (int a = 0; a < appenders; a++) {
      ChatStore store = stores.get(a % stores.size());
      Semaphore window = new Semaphore(inFlight);
      windows.add(window);
      Thread t = new Thread(() -> {
        while (running.get() && !failed.get()) {
          window.acquireUninterruptibly();
          CompletableFuture<?> f = store.append(List.of(randomMessage()));
          f.whenComplete((stored, error) -> {
            if (error != null) {
              failed.set(true);
            } else {
              completed.incrementAndGet();
            }
            window.release();
          });
        }
      }, "appender-" + a);
      threads.add(t);
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long done = completed.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    running.set(false);
    for (int a = 0; a < appenders; a++) {
      threads.get(a).join();
      windows.get(a).acquireUninterruptibly(inFlight); // every append of this run has completed
    }
    if (failed.get()) {
      throw new IllegalStateException("an append failed during the group-commit run");
    }
    return done / elapsed;
  }

  private static NewMessage randomMessage() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return NewMessage.of(user(random.nextInt(USERS)), user(random.nextInt(USERS)), BODY, Instant.now());
  }

  private static UserName user(int i) {
    return UserName.of("user" + i);
  }
}
