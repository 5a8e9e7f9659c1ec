package org.p2pchat.protocol.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client's second thread, {@code p2pchat-client-events}: futures complete and the listener
 * runs here, one event at a time, so that application code never stalls the network.
 * Thread-safe.
 */
final class Events {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "p2pchat-client-events");
    t.setDaemon(true);
    return t;
  });

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
    thread.shutdown();
  }
}
