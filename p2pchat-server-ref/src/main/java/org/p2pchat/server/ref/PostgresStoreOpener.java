package org.p2pchat.server.ref;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.store.postgres.PostgresChatStore;
import org.p2pchat.store.postgres.StoreOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the server's PostgreSQL store. A database that refuses the node (wrong credentials, no
 * such database, a newer schema) fails the start at once, in one line. One that does not answer
 * (down, restarting, a network cut) is tried again every second for up to {@code --db-wait}
 * while the node already serves: until the store opens, every request that needs it is answered
 * SERVER_BUSY (clients retry), so a node restarted during a database outage neither hangs nor
 * loses anything, and recovers by itself. If the wait runs out, the node stops with exit 1.
 */
final class PostgresStoreOpener {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreOpener.class);
  private static final long RETRY_MILLIS = 1000;

  private PostgresStoreOpener() {}

  /**
   * The store, open now or opening in the background.
   *
   * @param onGiveUp called once, on the retry thread, with the one-line reason when a store that
   *     was opening in the background cannot be opened after all; the caller stops the server
   * @throws StartupException when the database refused the node, or does not answer and
   *     {@code wait} is zero
   */
  static ChatStore open(PostgresChatStore.Builder builder, Duration wait, Consumer<String> onGiveUp)
      throws StartupException {
    return open(builder, wait, onGiveUp, opened -> {});
  }

  /**
   * As {@link #open(PostgresChatStore.Builder, Duration, Consumer)}, handing {@code onOpen} the
   * real store once it is open (at once, or later in the background): for its write queue gauge.
   */
  static ChatStore open(PostgresChatStore.Builder builder, Duration wait, Consumer<String> onGiveUp,
      Consumer<PostgresChatStore> onOpen) throws StartupException {
    try {
      PostgresChatStore store = builder.open();
      onOpen.accept(store);
      return store;
    } catch (StoreOpenException e) {
      if (e.reason() != StoreOpenException.Reason.UNREACHABLE || wait.isZero()) {
        throw new StartupException(oneLine(e), e);
      }
      LOG.warn("{}; answering 'server busy' while trying again for up to {}", oneLine(e),
          DurationConverter.format(wait));
      Deferred deferred = new Deferred(builder, System.nanoTime() + wait.toNanos(), onGiveUp, onOpen);
      deferred.retry.schedule(deferred::attempt, RETRY_MILLIS, TimeUnit.MILLISECONDS);
      return (ChatStore) Proxy.newProxyInstance(ChatStore.class.getClassLoader(),
          new Class<?>[] {ChatStore.class}, deferred);
    } catch (RuntimeException e) {
      throw new StartupException("cannot open the store " + builder.target() + ": " + e.getMessage(), e);
    }
  }

  /** A driver message may carry a detail on lines of its own: one line on stderr all the same. */
  static String oneLine(Exception e) {
    return String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", "; ");
  }

  /**
   * A store that answers SERVER_BUSY until the real one opens, then delegates to it. A dynamic
   * proxy, not a class implementing {@link ChatStore}: every method the SPI gains later (its
   * facets, such as a device store) is covered the same way without an edit here. A method
   * returning a future fails it with SERVER_BUSY; one returning another interface (a facet) gets
   * a facet that does the same until the store is open.
   */
  private static final class Deferred implements InvocationHandler {
    final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "p2pchat-store-open");
      t.setDaemon(true);
      return t;
    });
    private final PostgresChatStore.Builder builder;
    private final long deadlineNanos;
    private final Consumer<String> onGiveUp;
    private final Consumer<PostgresChatStore> onOpen;
    private volatile ChatStore store;
    private volatile boolean closed;

    Deferred(PostgresChatStore.Builder builder, long deadlineNanos, Consumer<String> onGiveUp,
        Consumer<PostgresChatStore> onOpen) {
      this.builder = builder;
      this.deadlineNanos = deadlineNanos;
      this.onGiveUp = onGiveUp;
      this.onOpen = onOpen;
    }

    void attempt() {
      if (closed) {
        return;
      }
      try {
        PostgresChatStore opened = builder.open();
        synchronized (this) {
          if (closed) {
            opened.close();
            return;
          }
          store = opened;
        }
        onOpen.accept(opened);
        LOG.info("the database answers: opened {}", opened);
        retry.shutdown();
      } catch (StoreOpenException e) {
        if (e.reason() == StoreOpenException.Reason.UNREACHABLE && System.nanoTime() < deadlineNanos) {
          LOG.debug("still unreachable: {}", oneLine(e));
          retry.schedule(this::attempt, RETRY_MILLIS, TimeUnit.MILLISECONDS);
          return;
        }
        retry.shutdown();
        onGiveUp.accept(oneLine(e));
      } catch (RuntimeException e) {
        retry.shutdown();
        onGiveUp.accept("cannot open the store " + builder.target() + ": " + e.getMessage());
      }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            ChatStore s = store;
            return s != null ? s.toString() : "PostgresChatStore{" + builder.target() + ", opening}";
        }
      }
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        close();
        return null;
      }
      ChatStore s = store;
      if (s != null) {
        return call(method, s, args);
      }
      return notYet(method, () -> store);
    }

    private void close() {
      ChatStore s;
      synchronized (this) {
        closed = true;
        s = store;
      }
      retry.shutdownNow();
      if (s != null) {
        s.close();
      }
    }

    /** What a call answers before the store is open. */
    private static Object notYet(Method method, java.util.function.Supplier<ChatStore> later) {
      Class<?> type = method.getReturnType();
      if (CompletableFuture.class.isAssignableFrom(type)) {
        return CompletableFuture.failedFuture(new ChatException(ErrorCode.SERVER_BUSY,
            "the database does not answer yet; try again later"));
      }
      if (type.isInterface() && method.getParameterCount() == 0) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
          if (m.getDeclaringClass() == Object.class) {
            return m.getName().equals("equals") ? p == a[0]
                : m.getName().equals("hashCode") ? System.identityHashCode(p) : type.getSimpleName() + "{opening}";
          }
          ChatStore s = later.get();
          return s != null ? call(m, call(method, s, null), a) : notYet(m, () -> null);
        });
      }
      throw new ChatException(ErrorCode.SERVER_BUSY, "the database does not answer yet; try again later");
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
