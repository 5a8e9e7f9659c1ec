package org.p2pchat.store.sqlite.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * Runs reads on a few threads, one reader connection (and its {@link Reads}) each. In WAL mode a
 * reader sees the last committed state and never waits for the writer. Futures complete on the
 * reader thread after its connection is free again.
 *
 * <p>Thread-safe.
 */
public final class ReaderPool {
  private final BlockingQueue<Reads> idle;
  private final List<Handle> handles;
  private final ThreadPoolExecutor executor;

  /**
   * A pool over {@code handles}, which it owns: one thread per handle.
   *
   * @param queueCapacity the most reads waiting at once; beyond that reads fail with SERVER_BUSY
   */
  public ReaderPool(List<Handle> handles, int queueCapacity) {
    this.handles = List.copyOf(handles);
    this.idle = new ArrayBlockingQueue<>(handles.size());
    for (Handle h : this.handles) {
      idle.add(new Reads(h));
    }
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(handles.size(), handles.size(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueCapacity),
        r -> new Thread(r, "p2pchat-store-reader-" + n.incrementAndGet()));
  }

  /** Runs {@code read} on a reader connection. */
  public <T> CompletableFuture<T> submit(Function<Reads, T> read) {
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

  private <T> void run(Function<Reads, T> read, CompletableFuture<T> future) {
    // As many threads as connections, so a connection is always idle when a task starts.
    Reads reads = idle.remove();
    T result;
    try {
      result = read.apply(reads);
    } catch (ChatException e) {
      future.completeExceptionally(e);
      return;
    } catch (RuntimeException e) {
      future.completeExceptionally(new ChatException(ErrorCode.INTERNAL, "the store failed to read", e));
      return;
    } finally {
      idle.add(reads);
    }
    future.complete(result);
  }

  /** Lets the reads already queued finish, then closes the connections. Idempotent. */
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
    for (Handle h : handles) {
      h.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
