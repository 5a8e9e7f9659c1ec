package org.p2pchat.store.sqlite;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
import org.p2pchat.store.sqlite.internal.Connections;
import org.p2pchat.store.sqlite.internal.DeviceSql;
import org.p2pchat.store.sqlite.internal.GroupCommitWriter;
import org.p2pchat.store.sqlite.internal.Migrations;
import org.p2pchat.store.sqlite.internal.PragmaDao;
import org.p2pchat.store.sqlite.internal.ReaderPool;
import org.p2pchat.store.sqlite.internal.SqliteAccountStore;
import org.p2pchat.store.sqlite.internal.SqliteAdminStore;
import org.p2pchat.store.sqlite.internal.SqliteContactStore;
import org.p2pchat.store.sqlite.internal.SqliteRoomStore;
import org.p2pchat.store.sqlite.internal.StoreFiles;
import org.p2pchat.store.sqlite.internal.WriteTask;
import org.p2pchat.store.sqlite.internal.WriteTasks;

/**
 * A {@link ChatStore} in one SQLite file: WAL journal, foreign keys on, versioned schema
 * migrations applied at open, and group commit: one writer thread ({@code p2pchat-store-writer})
 * commits every write queued so far in one transaction, so many concurrent writes share one disk
 * flush. A write's future completes only after its transaction committed; with the default
 * {@link Synchronous#FULL} that means it survives power loss.
 *
 * <p>Open with defaults by {@link #open(Path)}, or configure with {@link #builder(Path)}:
 *
 * <pre>{@code
 * ChatStore store = SqliteChatStore.open(Path.of("p2pchat-data/chat.db"));
 * ChatStore tuned = SqliteChatStore.builder(Path.of("chat.db"))
 *     .synchronous(SqliteChatStore.Synchronous.NORMAL)
 *     .busyTimeout(Duration.ofSeconds(2))
 *     .open();
 * }</pre>
 *
 * <p>Threads: a batch of writes completes right after its commit, on the writer thread
 * {@code p2pchat-store-writer} while more writes wait (so continuations must be short and never
 * block: there they delay the next commit; a server's only queue a task for its event loop),
 * else on {@code p2pchat-store-completer}; or always on the executor given to
 * {@link Builder#completionExecutor}. Reads complete on the {@code p2pchat-store-reader-N}
 * threads and never wait for the writer. Thread-safe.
 *
 * <p>One store per file: other processes may read the file, but only this store should write it.
 */
public final class SqliteChatStore implements ChatStore {

  /** How hard a commit waits for the disk (SQLite's {@code PRAGMA synchronous}). */
  public enum Synchronous {
    /**
     * Every commit waits until the WAL is flushed to the disk: an acknowledged write survives a
     * crash of the process and of the machine (power loss). The default.
     */
    FULL,
    /**
     * Commits are flushed at WAL checkpoints only: an acknowledged write survives a crash of the
     * process, but the last ones may be lost on power loss. Faster per commit; with group
     * commit the difference is usually small.
     */
    NORMAL
  }

  private final Path file;
  private final GroupCommitWriter writer;
  private final ReaderPool readers;
  private final SqliteAdminStore admin;
  private final SqliteRoomStore rooms;
  private final SqliteContactStore contacts;
  private final SqliteAccountStore accounts;
  private final Object closeLock = new Object();
  private volatile boolean closed;

  private SqliteChatStore(Path file, GroupCommitWriter writer, ReaderPool readers) {
    this.file = file;
    this.writer = writer;
    this.readers = readers;
    this.admin = new SqliteAdminStore(writer, readers, Clock.systemUTC());
    this.rooms = new SqliteRoomStore(writer, readers, () -> closed);
    this.contacts = new SqliteContactStore(writer, readers, () -> closed);
    this.accounts = new SqliteAccountStore(writer, () -> closed);
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
   * Opens (creating if missing) the store in {@code file} with the defaults of {@link Builder}.
   *
   * @throws StoreOpenException naming the file and the cause when the file cannot be created,
   *     read or written, is locked, is not a (sound) SQLite database, or was written by a newer
   *     version; the file is never reset or downgraded
   */
  public static SqliteChatStore open(Path file) throws StoreOpenException {
    return builder(file).open();
  }

  /** A builder for a store in {@code file}; {@link Builder#open()} opens it. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The database file. */
  public Path file() {
    return file;
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

  @Override
  public CompletableFuture<Void> createUser(StoredUser user) {
    return write(() -> WriteTasks.createUser(user));
  }

  @Override
  public CompletableFuture<Optional<StoredUser>> findUser(UserName name) {
    Objects.requireNonNull(name, "name");
    return read(() -> readers.submit(r -> r.findUser(name)));
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
    return read(() -> readers.submit(r -> r.history(reader, query)));
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
  public DeviceStore devices() {
    return devices;
  }

  /** The devices facet: reads on the readers, writes through the group-commit writer. */
  private final DeviceStore devices = new DeviceStore() {
    @Override
    public CompletableFuture<StoredDevice> addDevice(UserName user, String name, String secretHash, Instant at) {
      return write(() -> DeviceSql.add(user, name, secretHash, at));
    }

    @Override
    public CompletableFuture<Optional<StoredDevice>> findDevice(long id) {
      return read(() -> readers.submit(r -> DeviceSql.find(r, id)));
    }

    @Override
    public CompletableFuture<List<StoredDevice>> devices(UserName user) {
      Objects.requireNonNull(user, "user");
      return read(() -> readers.submit(r -> DeviceSql.list(r, user)));
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
    }
  }

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

  /**
   * Reads a PRAGMA as a reader connection sees it, for tests of the connection settings (every
   * connection is configured alike).
   */
  CompletableFuture<String> pragma(String name) {
    if (!name.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a pragma name: " + name);
    }
    return read(() -> readers.submit(r -> r.pragma(name)));
  }

  @Override
  public String toString() {
    return "SqliteChatStore{" + file + "}";
  }

  /**
   * Configures and opens a {@link SqliteChatStore}. Every setting has a default fit for a real
   * deployment. Not thread-safe; {@link #open()} may be called more than once, each time for a
   * new store (but one store per file).
   */
  public static final class Builder {
    private final Path file;
    private Synchronous synchronous = Synchronous.FULL;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private int writeQueueCapacity = 10_000;
    private int readerThreads = 2;
    private Executor completionExecutor;
    private CommitListener commitListener = CommitListener.NONE;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * How hard a commit waits for the disk. Default {@link Synchronous#FULL}: an acknowledged
     * message survives power loss.
     */
    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /**
     * How long a statement waits for a lock held by another connection before failing, from 0
     * to {@link Integer#MAX_VALUE} milliseconds. Default 5 seconds: long enough to ride out a
     * backup or a checkpoint, short enough that a stuck lock is reported at open.
     *
     * @throws IllegalArgumentException when negative or too long, naming the setting
     */
    public Builder busyTimeout(Duration busyTimeout) {
      Objects.requireNonNull(busyTimeout, "busyTimeout");
      if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busyTimeout must be 0 to " + Integer.MAX_VALUE + " ms: " + busyTimeout);
      }
      this.busyTimeout = busyTimeout;
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
     * How many threads (each with its own connection) serve reads, 1 to 64. Default 2: reads are
     * index range scans of a few dozen rows. Reads waiting beyond {@link #writeQueueCapacity}
     * fail at once with {@link ErrorCode#SERVER_BUSY}, like writes.
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
     * Where write futures complete (one task per committed batch), for callers whose
     * continuations may be slow: they then never run on, nor stall, the writer. Default: none;
     * the writer completes a batch itself while more writes wait (no hand-off) and hands it to
     * its completer thread when it would sleep. The executor must run every task it accepts, in
     * order; the store does not shut it down.
     */
    public Builder completionExecutor(Executor completionExecutor) {
      this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
      return this;
    }

    /**
     * Told of every commit of the writer, on the writer thread (see {@link CommitListener}).
     * Default {@link CommitListener#NONE}.
     */
    public Builder commitListener(CommitListener commitListener) {
      this.commitListener = Objects.requireNonNull(commitListener, "commitListener");
      return this;
    }

    /**
     * Opens the store: creates the file owner-only (and a missing parent directory) if needed,
     * refuses a file it cannot use, switches it to WAL and migrates its schema to the latest
     * version.
     *
     * @throws StoreOpenException naming the file and the cause: {@code UNREADABLE},
     *     {@code LOCKED}, {@code CORRUPT} or {@code NEWER_SCHEMA}; the file is never reset or
     *     downgraded
     */
    public SqliteChatStore open() throws StoreOpenException {
      StoreFiles.prepare(file);
      Jdbi jdbi = Connections.jdbi(file, synchronous == Synchronous.FULL, (int) busyTimeout.toMillis());
      List<Handle> opened = new ArrayList<>();
      try {
        Handle writerHandle = Connections.open(jdbi, file);
        opened.add(writerHandle);
        PragmaDao pragmas = writerHandle.attach(PragmaDao.class);
        // Refuse a newer file before changing anything in it, even its journal mode.
        Migrations.checkedVersion(pragmas, file);
        String mode = pragmas.switchToWal();
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new StoreOpenException(file, StoreOpenException.Reason.UNREADABLE,
              "cannot open p2pchat database " + file + ": SQLite cannot use WAL journaling there"
                  + " (journal mode stays " + mode + ")", null);
        }
        Migrations.migrate(writerHandle, file);
        List<Handle> readerHandles = new ArrayList<>();
        for (int i = 0; i < readerThreads; i++) {
          Handle reader = Connections.open(jdbi, file);
          opened.add(reader);
          reader.attach(PragmaDao.class).queryOnly();
          readerHandles.add(reader);
        }
        return new SqliteChatStore(file,
            new GroupCommitWriter(writerHandle, writeQueueCapacity, completionExecutor, commitListener),
            new ReaderPool(readerHandles, writeQueueCapacity));
      } catch (StoreOpenException | RuntimeException e) {
        for (Handle h : opened) {
          h.close();
        }
        if (e instanceof StoreOpenException) {
          throw (StoreOpenException) e;
        }
        throw Connections.openFailure(file, e);
      }
    }
  }
}
