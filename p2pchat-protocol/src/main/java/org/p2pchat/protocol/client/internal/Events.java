package org.p2pchat.protocol.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where futures complete and the listener runs, one event at a time, so that application code
 * never stalls the network: the client's second thread, {@code p2pchat-client-events}, or the
 * executor of a caller that drives the client itself. Thread-safe.
 */
final class Events {
  private final Executor thread;
  /** The events thread, when this client made it (and so shuts it down). */
  private final ExecutorService own;

  /** Events on a thread of their own. */
  Events() {
    this.own = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-client-events");
      t.setDaemon(true);
      return t;
    });
    this.thread = own;
  }

  /** Events on {@code executor}, which must run them one at a time, in order. */
  Events(Executor executor) {
    this.own = null;
    this.thread = executor;
  }

  /** Completes {@code future} with {@code value} on the events thread. */
  <T> void complete(CompletableFuture<T> future, T value) {
    thread.execute(() -> future.complete(value));
  }

  /** Fails {@code future} on the events thread. */
  void fail(CompletableFuture<?> future, Throwable failure) {
    thread.execute(() -> future.completeExceptionally(failure));
  }

  /** Runs a listener call on the events thread. */
  void run(Runnable call) {
    thread.execute(call);
  }

  /** Lets the events queued so far run, then ends the thread. */
  void shutdown() {
    if (own != null) {
      own.shutdown();
    }
  }
}
