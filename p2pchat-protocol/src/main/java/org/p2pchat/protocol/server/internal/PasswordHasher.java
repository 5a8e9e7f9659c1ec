package org.p2pchat.protocol.server.internal;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * Argon2id password hashing in PHC string form, off the event loop (each hash holds ~19 MiB for
 * ~50 ms): on the small bounded pool of {@link #newPool}, or on whatever executor a caller that
 * drives the engine itself gives. A full pool fails fast with {@link ErrorCode#SERVER_BUSY}.
 * Thread-safe.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  /** What checking a password found. */
  record Verdict(boolean matches, boolean needsRehash) {}

  private final Argon2Function function;
  private final Executor pool;
  /** Hashed once so that unknown users cost as much to check as known ones (no user probing by timing). */
  private final String dummyHash;

  /** @param pool where hashes run: never the event loop */
  public PasswordHasher(int memoryKib, int iterations, Executor pool) {
    this.function = Argon2Function.getInstance(memoryKib, iterations, 1, HASH_BYTES, Argon2.ID, 19);
    this.pool = pool;
    this.dummyHash = hashNow("not a real password, only a timing decoy");
  }

  /**
   * The hashing pool of a server: {@code threads} daemon threads named
   * {@code p2pchat-hasher-N} and a queue of {@code maxQueued}, beyond which hashes are refused
   * (SERVER_BUSY). Its creator shuts it down.
   */
  static ExecutorService newPool(int threads, int maxQueued) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(maxQueued), r -> {
          Thread t = new Thread(r, "p2pchat-hasher-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Hashes a password with a fresh random salt. */
  public CompletableFuture<String> hash(String password) {
    return submit(() -> hashNow(password));
  }

  /**
   * Checks a password against a stored PHC hash, or against a decoy when {@code phcHash} is
   * null (the user does not exist), which always fails but takes as long.
   */
  CompletableFuture<Verdict> verify(String password, String phcHash) {
    return submit(() -> {
      String against = phcHash == null ? dummyHash : phcHash;
      boolean matches;
      boolean current;
      try {
        Argon2Function stored = Argon2Function.getInstanceFromHash(against);
        matches = Password.check(password, against).with(stored);
        current = stored.equals(function);
      } catch (RuntimeException unparseable) {
        matches = false;
        current = true;
      }
      return new Verdict(matches && phcHash != null, !current);
    });
  }

  private String hashNow(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
  }

  private <T> CompletableFuture<T> submit(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(ChatException.retryLater(ErrorCode.SERVER_BUSY, 200));
    }
  }
}
