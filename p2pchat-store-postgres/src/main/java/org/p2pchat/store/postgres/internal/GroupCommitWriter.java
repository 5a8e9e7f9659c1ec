package org.p2pchat.store.postgres.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's only writer (DESIGN 5, group commit): one thread takes every write queued so far,
 * runs them in one transaction on a pooled connection, commits once, and only then publishes
 * each outcome. Outcomes are published on a separate completer thread so that callers'
 * continuations never run on (or stall) the writer thread.
 *
 * <p>A transaction that appends takes the {@link AppendLock} first, which is what keeps message
 * ids in commit order across every store on the database.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
public final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** The most writes in one transaction; bounds the latency one commit adds to its first write. */
  static final int MAX_BATCH = 4096;

  private static final Object STOP = new Object();

  private final Jdbi jdbi;
  private final WriterSession session = new WriterSession();
  private final BlockingQueue<Object> queue;
  private final int capacity;
  private final Thread thread;
  private final ExecutorService completer;
  private final org.p2pchat.store.postgres.CommitListener listener;
  private final Object acceptLock = new Object();
  private boolean accepting = true;
  private boolean closed;

  /**
   * Starts the writer thread, which borrows one connection from {@code jdbi} per transaction.
   *
   * @param capacity the most writes waiting at once; beyond that {@link #submit} fails fast with
   *     SERVER_BUSY
   */
  public GroupCommitWriter(Jdbi jdbi, int capacity) {
    this(jdbi, capacity, org.p2pchat.store.postgres.CommitListener.NONE);
  }

  /** As {@link #GroupCommitWriter(Jdbi, int)}, telling {@code listener} of each commit. */
  public GroupCommitWriter(Jdbi jdbi, int capacity, org.p2pchat.store.postgres.CommitListener listener) {
    this.listener = listener;
    this.jdbi = jdbi;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for STOP
    this.completer = Executors.newSingleThreadExecutor(r -> new Thread(r, "p2pchat-store-completer"));
    this.thread = new Thread(this::run, "p2pchat-store-writer");
    thread.start();
  }

  /**
   * Queues a write.
   *
   * @return the task's future; already failed with CLOSED after close, or with SERVER_BUSY when
   *     the queue is full
   */
  public <T> CompletableFuture<T> submit(WriteTask<T> task) {
    synchronized (acceptLock) {
      if (!accepting) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
      }
      if (queue.size() >= capacity || !queue.offer(task)) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.SERVER_BUSY,
            "the store's write queue is full (" + capacity + " writes); try again later"));
      }
    }
    return task.future();
  }

  /**
   * Stops accepting writes, lets the writer commit and complete every write already accepted,
   * and waits until the completer has published them. Idempotent. Does not close the pool.
   */
  public void close() {
    synchronized (acceptLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (accepting) {
        accepting = false;
        // Nothing is accepted after this; the + 1 of the queue's capacity keeps room for STOP.
        queue.add(STOP);
      }
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    completer.shutdown();
    while (!completer.isTerminated()) {
      try {
        completer.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Object> drained = new ArrayList<>();
    List<WriteTask<?>> batch = new ArrayList<>();
    boolean stop = false;
    try {
      while (!stop) {
        drained.add(take());
        queue.drainTo(drained, MAX_BATCH - 1);
        for (Object o : drained) {
          if (o == STOP) {
            stop = true;
          } else {
            batch.add((WriteTask<?>) o);
          }
        }
        drained.clear();
        if (!batch.isEmpty()) {
          commit(batch);
          batch = new ArrayList<>();
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.error("the store writer stopped unexpectedly; refusing further writes", e);
      failRemaining(batch);
      throw e;
    }
  }

  private Object take() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Nobody should interrupt the writer; accepted writes must still be committed, so go on.
        LOG.warn("the store writer was interrupted; ignoring it");
      }
    }
  }

  /** Runs the batch in one transaction and hands the outcomes to the completer. */
  private void commit(List<WriteTask<?>> batch) {
    Handle handle;
    try {
      // Waits at most the pool's connection timeout, for instance while the server is down.
      handle = jdbi.open();
    } catch (RuntimeException e) {
      LOG.warn("the store has no database connection; {} writes failed", batch.size(), e);
      failAll(batch, Failures.of(e, "the store could not reach the database"));
      publish(batch);
      return;
    }
    try {
      session.use(handle);
      runTransaction(handle, batch);
    } finally {
      closeQuietly(handle);
    }
    publish(batch);
  }

  /** Writes waiting for the writer now: a snapshot, for monitoring. */
  public int pending() {
    return queue.size();
  }

  private void runTransaction(Handle handle, List<WriteTask<?>> batch) {
    long start = System.nanoTime();
    try {
      handle.begin();
      if (batch.stream().anyMatch(WriteTasks::needsAppendLock)) {
        handle.createQuery(AppendLock.ACQUIRE).mapTo(String.class).one();
      }
      if (batch.size() == 1) {
        // A write alone needs no savepoint (two round trips fewer, which is what a write costs
        // when the store is not busy): if it fails, the whole transaction is its own to undo.
        if (!session.runAlone(batch.get(0))) {
          rollbackQuietly(handle);
          session.forgetUncommitted();
          return;
        }
      } else {
        runAll(batch);
      }
    } catch (RuntimeException e) {
      LOG.warn("a store transaction failed before its commit; {} writes failed", batch.size(), e);
      rollbackQuietly(handle);
      session.forgetUncommitted();
      failAll(batch, Failures.of(e, "the store failed to write"));
      return;
    }
    try {
      handle.commit();
      committed(batch.size(), System.nanoTime() - start);
    } catch (RuntimeException e) {
      rollbackQuietly(handle);
      session.forgetUncommitted();
      if (Failures.isConnectionLoss(e)) {
        // The COMMIT may have reached the server before the connection broke: nobody can know.
        LOG.error("the connection to the database broke during a commit; {} writes may or may not"
            + " be stored", batch.size(), e);
        failAll(batch, new ChatException(ErrorCode.INTERNAL,
            "the connection to the database broke during the commit; the write may or may not be stored", e));
      } else {
        LOG.error("a store transaction failed to commit; {} writes failed", batch.size(), e);
        failAll(batch, Failures.of(e, "the store failed to commit"));
      }
    }
  }

  /** Tells the listener; a listener that throws never fails the writes it was told of. */
  private void committed(int writes, long nanos) {
    try {
      listener.committed(writes, nanos);
    } catch (RuntimeException e) {
      LOG.debug("the commit listener failed", e);
    }
  }

  private void runAll(List<WriteTask<?>> batch) {
    int i = 0;
    while (i < batch.size()) {
      if (WriteTasks.isAppend(batch.get(i))) {
        List<AppendTask> appends = new ArrayList<>();
        while (i < batch.size() && WriteTasks.isAppend(batch.get(i))) {
          appends.add((AppendTask) batch.get(i++));
        }
        AppendTask.appendTogether(session, appends);
      } else {
        session.runInSavepoint(batch.get(i++));
      }
    }
  }

  private void publish(List<WriteTask<?>> batch) {
    completer.execute(() -> {
      for (WriteTask<?> task : batch) {
        task.complete();
      }
    });
  }

  private static void rollbackQuietly(Handle handle) {
    try {
      handle.rollback();
    } catch (RuntimeException e) {
      // The connection may be gone, which rolls back too; the original error is logged.
      LOG.debug("rollback after a failed store transaction also failed", e);
    }
  }

  private static void closeQuietly(Handle handle) {
    try {
      handle.close();
    } catch (RuntimeException e) {
      // A broken connection goes back to the pool, which retires it; the outcome is recorded.
      LOG.debug("returning the writer's connection to the pool failed", e);
    }
  }

  private static void failAll(List<WriteTask<?>> batch, ChatException failure) {
    for (WriteTask<?> task : batch) {
      task.fail(failure);
    }
  }

  /** After the writer died: nothing more is accepted and every waiting write fails. */
  private void failRemaining(List<WriteTask<?>> batch) {
    List<Object> rest = new ArrayList<>();
    synchronized (acceptLock) {
      accepting = false;
      queue.drainTo(rest);
    }
    ChatException failure = new ChatException(ErrorCode.INTERNAL, "the store writer stopped");
    List<WriteTask<?>> all = new ArrayList<>(batch);
    for (Object o : rest) {
      if (o != STOP) {
        all.add((WriteTask<?>) o);
      }
    }
    for (WriteTask<?> task : all) {
      task.fail(failure);
      task.complete();
    }
  }
}
