package org.p2pchat.store.sqlite.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.store.sqlite.CommitListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's only writer (DESIGN 5, group commit): one thread takes every write queued so far,
 * runs them in one transaction, commits once, and only then publishes each outcome, a whole
 * batch at a time. Where, is measured (docs/benchmarks.md, "Hand-offs"): when more writes are
 * already waiting, the writer completes the batch itself and goes straight on with the next (a
 * server's continuation only queues a task for its loop; one more thread would cost CPU and a
 * wakeup per batch); when the queue is empty, it hands the batch to the completer thread
 * {@code p2pchat-store-completer} and sleeps at once, so the thread that wakes the waiting caller
 * is not the one the next write needs (on a busy machine a writer that woke its caller itself
 * lost its CPU and waited behind other threads: one write in flight ran 2-5x slower). Batches
 * complete in commit order: while the completer has one, later batches go to it too. A
 * completion executor given by the caller takes every batch, so slow continuations cannot
 * stall the writer.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
public final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** The most writes in one transaction; bounds the latency one commit adds to its first write. */
  static final int MAX_BATCH = 4096;

  private static final Object STOP = new Object();

  private final Handle handle;
  private final WriterSession session;
  private final BlockingQueue<Object> queue;
  private final int capacity;
  private final Thread thread;
  /** Where outcomes are published when the writer would otherwise sleep, or always if the caller's. */
  private final Executor completer;
  private final CommitListener listener;
  /** The completer thread, when this writer made it (and so shuts it down). */
  private final ExecutorService ownCompleter;
  /** Whether every batch goes to {@link #completer} (a caller's executor). */
  private final boolean alwaysHandOff;
  /** Batches handed to the completer and not yet completed: later ones must queue behind them. */
  private final AtomicInteger handedOff = new AtomicInteger();
  private final Object acceptLock = new Object();
  private boolean accepting = true;
  private boolean closed;

  /**
   * Starts the writer thread over {@code handle}, which it owns and closes on {@link #close()}.
   *
   * @param capacity the most writes waiting at once; beyond that {@link #submit} fails fast with
   *     SERVER_BUSY
   * @param completer where to publish every batch's outcomes, one task per batch; null for the
   *     writer's own policy (itself while writes wait, else its completer thread)
   */
  public GroupCommitWriter(Handle handle, int capacity, Executor completer) {
    this(handle, capacity, completer, CommitListener.NONE);
  }

  /** As {@link #GroupCommitWriter(Handle, int, Executor)}, telling {@code listener} of each commit. */
  public GroupCommitWriter(Handle handle, int capacity, Executor completer, CommitListener listener) {
    this.handle = handle;
    this.listener = listener;
    this.session = new WriterSession(handle);
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for STOP
    this.alwaysHandOff = completer != null;
    this.ownCompleter = completer == null
        ? Executors.newSingleThreadExecutor(r -> new Thread(r, "p2pchat-store-completer")) : null;
    this.completer = completer != null ? completer : ownCompleter;
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

  /** Writes waiting for the writer now (a snapshot, for monitoring). */
  public int pending() {
    return queue.size();
  }

  /**
   * Stops accepting writes, lets the writer commit and complete every write already accepted,
   * then closes the handle. Idempotent.
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
    if (ownCompleter != null) {
      ownCompleter.shutdown();
      while (!ownCompleter.isTerminated()) {
        try {
          ownCompleter.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    handle.close();
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

  /** Runs the batch in one transaction, then publishes the outcomes. */
  private void commit(List<WriteTask<?>> batch) {
    try {
      handle.execute("BEGIN IMMEDIATE");
    } catch (RuntimeException e) {
      LOG.error("the store could not start a transaction; {} writes failed", batch.size(), e);
      failAll(batch, e);
      publish(batch);
      return;
    }
    long start = System.nanoTime();
    try {
      runAll(batch);
      handle.execute("COMMIT");
      listener.committed(batch.size(), System.nanoTime() - start);
    } catch (RuntimeException e) {
      LOG.error("a store transaction failed; {} writes failed", batch.size(), e);
      rollbackQuietly();
      session.forgetUncommitted();
      failAll(batch, e);
    }
    publish(batch);
  }

  private void runAll(List<WriteTask<?>> batch) {
    int i = 0;
    while (i < batch.size()) {
      if (batch.get(i) instanceof AppendTask) {
        List<AppendTask> appends = new ArrayList<>();
        while (i < batch.size() && batch.get(i) instanceof AppendTask) {
          appends.add((AppendTask) batch.get(i++));
        }
        AppendTask.appendTogether(session, appends);
      } else if (batch.get(i) instanceof AdvanceTask) {
        // Delivered and read marks share the batch's commit: consecutive ones of a state run
        // as one statement per recipient (a burst of PUSH_ACKs is one UPDATE, not one each).
        List<AdvanceTask> advances = new ArrayList<>();
        DeliveryState to = ((AdvanceTask) batch.get(i)).to();
        while (i < batch.size() && batch.get(i) instanceof AdvanceTask a && a.to() == to) {
          advances.add(a);
          i++;
        }
        AdvanceTask.advanceTogether(session, advances);
      } else {
        session.runInSavepoint(batch.get(i++));
      }
    }
  }

  private void publish(List<WriteTask<?>> batch) {
    if (!alwaysHandOff && !queue.isEmpty() && handedOff.get() == 0) {
      completeAll(batch); // more to write at once: no hand-off, no wakeup of another thread
      return;
    }
    handedOff.incrementAndGet();
    completer.execute(() -> {
      try {
        completeAll(batch);
      } finally {
        handedOff.decrementAndGet();
      }
    });
  }

  private static void completeAll(List<WriteTask<?>> batch) {
    for (WriteTask<?> task : batch) {
      task.complete();
    }
  }

  private void rollbackQuietly() {
    try {
      handle.execute("ROLLBACK");
    } catch (RuntimeException e) {
      // SQLite may already have rolled back on the failure; the original error is logged.
      LOG.debug("rollback after a failed store transaction also failed", e);
    }
  }

  private static void failAll(List<WriteTask<?>> batch, RuntimeException cause) {
    ChatException failure = new ChatException(ErrorCode.INTERNAL, "the store failed to commit", cause);
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
