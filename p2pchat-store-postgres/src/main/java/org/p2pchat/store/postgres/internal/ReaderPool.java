package org.p2pchat.store.postgres.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * Runs reads on a few threads; each read borrows a pooled connection for its one statement.
 * Reads never wait for the writer: PostgreSQL's readers see the last committed state. Futures
 * complete on the reader thread after its connection is back in the pool.
 *
 * <p>Thread-safe.
 */
public final class ReaderPool {
  private final Jdbi jdbi;
  private final ThreadPoolExecutor executor;

  /**
   * A pool of {@code threads} reader threads over {@code jdbi}, whose connection pool must have
   * a connection for each of them besides the writer's.
   *
   * @param queueCapacity the most reads waiting at once; beyond that reads fail with SERVER_BUSY
   */
  public ReaderPool(Jdbi jdbi, int threads, int queueCapacity) {
    this.jdbi = jdbi;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> new Thread(r, "p2pchat-store-reader-" + n.incrementAndGet()));
  }

  /** Runs {@code read} on a pooled connection. */
  public <T> CompletableFuture<T> submit(Function<Handle, T> read) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      executor.execute(() -> run(read, future));
    } catch (RejectedExecutionException e) {
      ChatException failure = executor.isShutdown()
          ? new ChatException(ErrorCode.CLOSED, "the store is closed")
          : new ChatException(ErrorCode.SERVER_BUSY, "the store's read queue is full; try again later");
      return CompletableFuture.failedFuture(failure);
    }
    return future;
  }

  private <T> void run(Function<Handle, T> read, CompletableFuture<T> future) {
    T result;
    try {
      result = jdbi.withHandle(read::apply);
    } catch (RuntimeException e) {
      future.completeExceptionally(Failures.of(e, "the store failed to read"));
      return;
    }
    future.complete(result);
  }

  /** Lets the reads already queued finish, then stops the threads. Idempotent. */
  public void close() {
    executor.shutdown();
    boolean interrupted = false;
    while (!executor.isTerminated()) {
      try {
        executor.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
