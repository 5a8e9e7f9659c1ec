package org.p2pchat.server.ref;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.ChatStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a running server and its store, and stops them in the one safe order: the server
 * first, which drains the requests in flight (every send it acknowledged is in the store), then
 * the store, which completes its accepted writes.
 *
 * <p>Thread-safe: {@link #stop} may race with itself (a signal during a stop) and runs once.
 */
public final class ServerLifecycle {
  private final ChatServer server;
  private final ChatStore store;
  private final AutoCloseable beforeStore;
  private final AutoCloseable afterStore;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int status;

  /** Takes ownership of a started server and the store it runs on. */
  public ServerLifecycle(ChatServer server, ChatStore store) {
    this(server, store, () -> {}, () -> {});
  }

  /**
   * Takes ownership of a started server, the store it runs on, what uses the store besides the
   * server (the retention purge, closed after the server and before the store) and what is
   * closed last (the metrics endpoint, which stays up to show the drain).
   */
  public ServerLifecycle(ChatServer server, ChatStore store, AutoCloseable beforeStore, AutoCloseable afterStore) {
    this.server = server;
    this.store = store;
    this.beforeStore = beforeStore;
    this.afterStore = afterStore;
  }

  /**
   * Closes the server, then the store; later calls wait for the first to finish.
   *
   * @return 0 when both closed cleanly, 1 when either failed (the failure is logged)
   */
  public int stop() {
    if (stopping.compareAndSet(false, true)) {
      Logger log = LoggerFactory.getLogger(ServerLifecycle.class);
      log.info("stopping: draining requests in flight");
      int result = 0;
      try {
        server.close();
      } catch (RuntimeException e) {
        log.error("the server did not stop cleanly: {}", e.toString());
        result = 1;
      }
      try {
        beforeStore.close();
      } catch (Exception e) {
        log.warn("stopping the retention purge failed: {}", e.toString());
      }
      try {
        store.close();
      } catch (RuntimeException e) {
        log.error("the store did not close cleanly: {}", e.toString());
        result = 1;
      }
      try {
        afterStore.close();
      } catch (Exception e) {
        log.warn("closing the metrics endpoint failed: {}", e.toString());
      }
      status = result;
      log.info("stopped");
      stopped.countDown();
    }
    awaitStopped();
    return status;
  }

  /** Blocks until {@link #stop} has finished, and returns its status. */
  public int awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        stopped.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return status;
  }
}
