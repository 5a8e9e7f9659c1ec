package org.p2pchat.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.DeviceStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.store.postgres.internal.Connections;
import org.p2pchat.store.postgres.internal.DeviceSql;
import org.p2pchat.store.postgres.internal.GroupCommitWriter;
import org.p2pchat.store.postgres.internal.Migrations;
import org.p2pchat.store.postgres.internal.PostgresAdminStore;
import org.p2pchat.store.postgres.internal.PostgresAccountStore;
import org.p2pchat.store.postgres.internal.PostgresContactStore;
import org.p2pchat.store.postgres.internal.PostgresRoomStore;
import org.p2pchat.store.postgres.internal.ReaderPool;
import org.p2pchat.store.postgres.internal.Reads;
import org.p2pchat.store.postgres.internal.WriteTask;
import org.p2pchat.store.postgres.internal.WriteTasks;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatStore} in a PostgreSQL database: versioned schema migrations applied at open,
 * and group commit: one writer thread ({@code p2pchat-store-writer}) commits every write queued
 * so far in one transaction, so many concurrent writes share one commit. A write's future
 * completes only after its transaction committed, which with PostgreSQL's default
 * {@code synchronous_commit = on} means the server has flushed it to its disk (the store warns
 * at open when the server says otherwise).
 *
 * <p>Several stores, in one process or in several (the nodes of a cluster), may share one
 * database. Message ids are unique and increasing across all of them, and assigned in commit
 * order, so a reader paging through history with an {@code AFTER} cursor never skips a message
 * that committed late: appends take an advisory lock per transaction for that (see
 * {@code internal.AppendLock} for the argument). Users created on one store are seen by all.
 *
 * <pre>{@code
 * ChatStore store = PostgresChatStore.builder("jdbc:postgresql://db.example:5432/p2pchat")
 *     .user("p2pchat")
 *     .password(System.getenv("P2PCHAT_DB_PASSWORD"))
 *     .open();
 * }</pre>
 *
 * <p>Connections: a fixed pool (HikariCP) of one connection per reader thread plus one for the
 * writer. The pool replaces connections that break (a server restart, a failover) by itself;
 * while the server cannot be reached, writes and reads fail with {@link ErrorCode#SERVER_BUSY}
 * within the connect timeout rather than hang, and work again once it is back, without a
 * reopen. A write whose COMMIT was sent when the connection broke fails with
 * {@link ErrorCode#INTERNAL}: it may or may not be stored, as with any networked database.
 *
 * <p>Threads: writes complete on the thread {@code p2pchat-store-completer} (never on the writer,
 * which continuations therefore cannot stall), reads on the {@code p2pchat-store-reader-N}
 * threads; reads never wait for the writer. Do not block in a continuation: it delays every
 * other completion of its thread. Thread-safe.
 */
public final class PostgresChatStore implements ChatStore {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChatStore.class);

  private final String target;
  private final HikariDataSource pool;
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final PostgresAdminStore admin;
  private final PostgresRoomStore rooms;
  private final PostgresContactStore contacts;
  private final PostgresAccountStore accounts;
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private PostgresChatStore(String target, HikariDataSource pool, GroupCommitWriter writer, ReaderPool readers) {
    this.target = target;
    this.pool = pool;
    this.writer = writer;
    this.readers = readers;
    this.admin = new PostgresAdminStore(writer, readers, java.time.Clock.systemUTC());
    this.rooms = new PostgresRoomStore(writer, readers, () -> closed);
    this.contacts = new PostgresContactStore(writer, readers, () -> closed);
    this.accounts = new PostgresAccountStore(writer, () -> closed);
  }

  @Override
  public org.p2pchat.api.store.AccountStore accounts() {
    return accounts;
  }

  @Override
  public AdminStore admin() {
    return admin;
  }

  /** Writes waiting for the writer thread now: a snapshot, for monitoring. Thread-safe. */
  public int pendingWrites() {
    return writer.pending();
  }

  /**
   * A builder for a store in the database that {@code jdbcUrl} names, for example
   * {@code jdbc:postgresql://db.example:5432/p2pchat}; {@link Builder#open()} opens it. The URL
   * may carry the driver's settings ({@code currentSchema=chat} to keep the store's tables in a
   * schema of their own, {@code sslmode=verify-full}, ...) but never the password.
   *
   * @throws IllegalArgumentException when {@code jdbcUrl} is not a PostgreSQL JDBC URL or carries
   *     a password; the message does not repeat the URL
   */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  /** The database: servers, database name and user ({@code postgresql://host:5432/p2pchat as p2pchat}). */
  public String target() {
    return target;
  }

  @Override
  public CompletableFuture<Void> createUser(StoredUser user) {
    return write(() -> WriteTasks.createUser(user));
  }

  @Override
  public CompletableFuture<Optional<StoredUser>> findUser(UserName name) {
    Objects.requireNonNull(name, "name");
    return read(() -> readers.submit(h -> Reads.findUser(h, name)));
  }

  @Override
  public CompletableFuture<Boolean> updatePasswordHash(UserName name, String passwordHash) {
    return write(() -> WriteTasks.updatePasswordHash(name, passwordHash));
  }

  @Override
  public CompletableFuture<List<ChatMessage>> append(List<NewMessage> messages) {
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty() && !closed) {
      return CompletableFuture.completedFuture(List.of());
    }
    return write(() -> WriteTasks.append(messages));
  }

  @Override
  public CompletableFuture<HistoryPage> history(UserName reader, HistoryQuery query) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(query, "query");
    return read(() -> readers.submit(h -> Reads.history(h, reader, query)));
  }

  @Override
  public CompletableFuture<List<ChatMessage>> markDelivered(UserName recipient, Collection<Long> ids) {
    return write(() -> WriteTasks.advance(recipient, ids, DeliveryState.DELIVERED));
  }

  @Override
  public CompletableFuture<List<ChatMessage>> markRead(UserName recipient, Collection<Long> ids) {
    return write(() -> WriteTasks.advance(recipient, ids, DeliveryState.READ));
  }

  @Override
  public org.p2pchat.api.store.RoomStore rooms() {
    return rooms;
  }

  @Override
  public org.p2pchat.api.store.ContactStore contacts() {
    return contacts;
  }

  /**
   * Commits and completes every write already accepted, lets accepted reads finish, then closes
   * the connections and stops the store's threads. Idempotent; later calls fail with CLOSED.
   * Blocks until done, so do not call it from a continuation of this store's futures (it would
   * wait for its own thread).
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      writer.close();
      readers.close();
      pool.close();
    }
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  /** The devices facet: reads on the reader pool, writes through the group-commit writer. */
  private final DeviceStore devices = new DeviceStore() {
    @Override
    public CompletableFuture<StoredDevice> addDevice(UserName user, String name, String secretHash, Instant at) {
      return write(() -> DeviceSql.add(user, name, secretHash, at));
    }

    @Override
    public CompletableFuture<Optional<StoredDevice>> findDevice(long id) {
      return read(() -> readers.submit(h -> DeviceSql.find(h, id)));
    }

    @Override
    public CompletableFuture<List<StoredDevice>> devices(UserName user) {
      Objects.requireNonNull(user, "user");
      return read(() -> readers.submit(h -> DeviceSql.list(h, user)));
    }

    @Override
    public CompletableFuture<Boolean> touchDevice(long id, Instant at) {
      return write(() -> DeviceSql.touch(id, at));
    }

    @Override
    public CompletableFuture<List<Long>> revokeDevices(UserName user, long id) {
      return write(() -> DeviceSql.revoke(user, id));
    }

    @Override
    public CompletableFuture<ChatMessage> appendOnce(NewMessage message, long key) {
      return write(() -> DeviceSql.appendOnce(message, key));
    }
  };

  private <T> CompletableFuture<T> write(Supplier<WriteTask<T>> task) {
    if (closed) {
      return closedFuture();
    }
    return writer.submit(task.get());
  }

  private <T> CompletableFuture<T> read(Supplier<CompletableFuture<T>> read) {
    if (closed) {
      return closedFuture();
    }
    return read.get();
  }

  private static <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED, "the store is closed"));
  }

  @Override
  public String toString() {
    return "PostgresChatStore{" + target + "}";
  }

  /**
   * Configures and opens a {@link PostgresChatStore}. Every setting has a default fit for a real
   * deployment. Not thread-safe; {@link #open()} may be called more than once, each time for a
   * new store on the same database.
   */
  public static final class Builder {
    private final String jdbcUrl;
    private final Properties url;
    private String user;
    private String password;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private Duration lockTimeout = Duration.ofSeconds(5);
    private int writeQueueCapacity = 10_000;
    private int readerThreads = 4;
    private CommitListener commitListener = CommitListener.NONE;

    private Builder(String jdbcUrl) {
      this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      this.url = Connections.parseUrl(jdbcUrl);
      this.user = url.getProperty("user");
    }

    /**
     * The database the store will open, as {@link PostgresChatStore#target()} will name it
     * (servers, database and user, never the password), for messages before it is open.
     */
    public String target() {
      return Connections.target(url, user);
    }

    /** The database user. Required unless the JDBC URL names it ({@code user=...}). */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /**
     * The user's password. Not needed where the server trusts the client otherwise (a client
     * certificate, {@code trust} in {@code pg_hba.conf}). Kept in memory only, never logged or
     * put into a message; take it from the environment or a file, never from a command line.
     */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * How long opening a connection may take, from reaching the server to logging in, and how
     * long a write or read waits for a pooled connection; 1 second to 1 hour, in whole seconds
     * (a fraction counts as a whole second). Default 5 seconds: a server on the same network
     * answers in milliseconds, and a write that cannot get a connection should soon answer
     * SERVER_BUSY rather than keep its client waiting.
     *
     * @throws IllegalArgumentException when out of range, naming the setting
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkSeconds("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * How long the store waits for any answer of the server before it gives the connection up
     * as broken; 1 second to 1 hour, in whole seconds (a fraction counts as a whole second).
     * Default 30 seconds: far above any statement of this store, which reads and writes a few
     * rows by index, so that only a dead server or network trips it. The server drops a
     * session that idles that long inside a transaction, so a node cut off mid-transaction
     * releases its locks no later either. Must exceed {@link #lockTimeout}.
     *
     * @throws IllegalArgumentException when out of range, naming the setting
     */
    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = checkSeconds("socketTimeout", socketTimeout);
      return this;
    }

    /**
     * How long a write waits for a lock held by another store on the same database (the append
     * lock, a row another node is updating) before its batch fails with SERVER_BUSY; 1
     * millisecond to 1 hour. Default 5 seconds: another store holds the append lock for one
     * commit, milliseconds; seconds of waiting mean that store is stuck.
     *
     * @throws IllegalArgumentException when out of range, naming the setting
     */
    public Builder lockTimeout(Duration lockTimeout) {
      Objects.requireNonNull(lockTimeout, "lockTimeout");
      if (lockTimeout.toMillis() < 1 || lockTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("lockTimeout must be 1 ms to 1 hour: " + lockTimeout);
      }
      this.lockTimeout = lockTimeout;
      return this;
    }

    /**
     * The most writes waiting for the writer at once; a write beyond that fails at once with
     * {@link ErrorCode#SERVER_BUSY}. Default 10,000: several commits' worth at full load, a few
     * megabytes of memory at most.
     *
     * @throws IllegalArgumentException when below 1, naming the setting
     */
    public Builder writeQueueCapacity(int writeQueueCapacity) {
      if (writeQueueCapacity < 1) {
        throw new IllegalArgumentException("writeQueueCapacity must be >= 1: " + writeQueueCapacity);
      }
      this.writeQueueCapacity = writeQueueCapacity;
      return this;
    }

    /**
     * How many threads (each with a pooled connection) serve reads, 1 to 64. Default 4: a read is
     * one round trip and an index range scan of a few dozen rows, and each connection costs the
     * server a process. Reads waiting beyond {@link #writeQueueCapacity} fail at once with
     * {@link ErrorCode#SERVER_BUSY}, like writes.
     *
     * @throws IllegalArgumentException when outside 1 to 64, naming the setting
     */
    public Builder readerThreads(int readerThreads) {
      if (readerThreads < 1 || readerThreads > 64) {
        throw new IllegalArgumentException("readerThreads must be 1 to 64: " + readerThreads);
      }
      this.readerThreads = readerThreads;
      return this;
    }

    /**
     * Who is told of each transaction the writer commits (writes in it, time taken), for
     * metrics. Default {@link CommitListener#NONE}.
     */
    public Builder commitListener(CommitListener commitListener) {
      this.commitListener = java.util.Objects.requireNonNull(commitListener, "commitListener");
      return this;
    }

    /**
     * Opens the store: connects, refuses a database it cannot use, migrates the schema to the
     * latest version (waiting for any other store migrating the same database), then starts the
     * connection pool, the writer and the readers.
     *
     * @throws StoreOpenException naming the database and the cause, never the password:
     *     {@code UNREACHABLE}, {@code BAD_CREDENTIALS}, {@code NO_DATABASE}, {@code NEWER_SCHEMA}
     *     or {@code REFUSED}; the database is never reset or downgraded
     * @throws IllegalStateException when no user is set or the timeouts contradict each other
     */
    public PostgresChatStore open() throws StoreOpenException {
      if (user == null) {
        throw new IllegalStateException("user is not set: call user(...) or put user=... in the JDBC URL");
      }
      if (lockTimeout.compareTo(socketTimeout) >= 0) {
        throw new IllegalStateException("lockTimeout (" + lockTimeout + ") must be shorter than socketTimeout ("
            + socketTimeout + ")");
      }
      String target = Connections.target(url, user);
      PGSimpleDataSource direct = Connections.dataSource(jdbcUrl, user, password,
          (int) connectTimeout.toSeconds(), (int) socketTimeout.toSeconds(), lockTimeout.toMillis());
      try (Handle handle = Connections.open(Connections.jdbi(direct), target)) {
        Migrations.migrate(handle, target);
        warnUnlessSynchronous(handle, target);
      } catch (RuntimeException e) {
        throw Connections.openFailure(target, e);
      }
      HikariDataSource pool = Connections.pool(direct, readerThreads + 1, connectTimeout.toMillis());
      Jdbi jdbi = Connections.jdbi(pool);
      return new PostgresChatStore(target, pool,
          new GroupCommitWriter(jdbi, writeQueueCapacity, commitListener),
          new ReaderPool(jdbi, readerThreads, writeQueueCapacity));
    }

    /**
     * Opens a {@link PostgresPushBus} on the database this builder names, with the same user,
     * password and timeouts: the nodes that share this store's database push through it. It
     * connects in the background and never fails to open: while the database does not answer it
     * drops events and tries again each second. The caller closes it.
     */
    public PostgresPushBus openPushBus() {
      if (user == null) {
        throw new IllegalStateException("user is not set: call user(...) or put user=... in the JDBC URL");
      }
      return new PostgresPushBus(Connections.dataSource(jdbcUrl, user, password,
          (int) connectTimeout.toSeconds(), (int) socketTimeout.toSeconds(), lockTimeout.toMillis()),
          target(), writeQueueCapacity);
    }

    private static void warnUnlessSynchronous(Handle handle, String target) {
      String mode = handle.createQuery("SHOW synchronous_commit").mapTo(String.class).one();
      if ("off".equalsIgnoreCase(mode)) {
        LOG.warn("PostgreSQL at {} runs with synchronous_commit = {}: a write the store acknowledged"
            + " may be lost if the server crashes", target, mode);
      }
    }

    private static Duration checkSeconds(String setting, Duration value) {
      Objects.requireNonNull(value, setting);
      Duration whole = Duration.ofSeconds(value.toSeconds() + (value.toNanosPart() > 0 ? 1 : 0));
      if (value.isNegative() || value.isZero() || whole.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(setting + " must be 1 second to 1 hour: " + value);
      }
      return whole;
    }
  }
}
