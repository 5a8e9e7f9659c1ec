package org.p2pchat.store.postgres;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PushBus} on PostgreSQL's {@code LISTEN/NOTIFY}, for the server nodes that share one
 * store's database. Open it with {@link PostgresChatStore.Builder#openPushBus()}.
 *
 * <p>Two dedicated connections, each on a thread of its own: {@code p2pchat-push-publisher}
 * drains a bounded queue of events and sends each batch as one statement (one {@code pg_notify}
 * per event, delivered when that statement's implicit transaction commits, with
 * {@code synchronous_commit = off}: an event waits for no disk flush);
 * {@code p2pchat-push-listener} listens and hands other nodes' events to the server. Either
 * thread whose connection breaks opens a new one, once a second, until the database answers
 * again; the listener then reports a gap ({@link PushBus.Listener#onGap()}), since events sent
 * meanwhile are gone. Publishing never blocks: an event beyond the queue's capacity, or met by a
 * broken connection, is dropped (history has the message).
 *
 * <p>Payloads carry ids only, never a body or a name: {@code <node> m <message id> <user id>}
 * for a stored message, {@code <node> s <message id> <user id> <state>} for a state change
 * {@code <node> p <last seen ms> <user id> <1 online, 0 not>} for a presence change,
 * {@code <node> d 0 <user id>} for a deleted account and
 * {@code <node> r <message id> <sender's user id> <room id>} for a room message, some 40 bytes. User ids are database ids, resolved to names by a join when publishing and by
 * a bounded cache (one query per batch of misses) when listening. The channel is named after the
 * oid of the store's {@code users} table, so stores on different schemas of one database do not
 * hear each other. A node ignores its own events by the random node id it puts first.
 *
 * <p>Thread-safe.
 */
public final class PostgresPushBus implements PushBus {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresPushBus.class);
  private static final long RETRY_MILLIS = 1000;
  private static final int POLL_MILLIS = 500;
  /** How often an idle listener checks its connection: a silent network hides a dead server. */
  private static final long CHECK_MILLIS = 10_000;
  private static final int MAX_BATCH = 500;
  private static final int MAX_CACHED_NAMES = 100_000;
  /**
   * One notification per event, in the order queued, so that the order of one sender's events
   * survives and their pushes go out in order on the other nodes. A join may return rows in any
   * order, so the events are numbered and sorted in a subquery, whose order the outer
   * {@code pg_notify} calls follow.
   */
  private static final String PUBLISH = "SELECT pg_notify(?, ? || ' ' || o.kind || ' ' || o.mid || ' ' || o.uid"
      + " || coalesce(' ' || o.st, '')) FROM (SELECT e.kind, e.mid, u.id AS uid, e.st"
      + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[]) WITH ORDINALITY AS e(kind, mid, name, st, n)"
      + " JOIN users u ON u.name = e.name ORDER BY e.n OFFSET 0) o";

  /** An event to publish; {@code extra} is the state, the online flag or the room id, or null. */
  private record Event(String kind, long messageId, String name, Long extra) {}

  private final DataSource dataSource;
  private final String target;
  private final String nodeId;
  private final BlockingQueue<Event> queue;
  private final Thread publisher;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Thread listenerThread;
  private volatile boolean closed;

  PostgresPushBus(DataSource dataSource, String target, int queueCapacity) {
    this.dataSource = dataSource;
    this.target = target;
    this.nodeId = Long.toHexString(new SecureRandom().nextLong() | Long.MIN_VALUE);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.publisher = new Thread(this::publishLoop, "p2pchat-push-publisher");
    this.publisher.setDaemon(true);
    this.publisher.start();
  }

  /** This node's id in the payloads: 16 hex digits, random per bus. */
  public String nodeId() {
    return nodeId;
  }

  /** How many events were dropped (queue full, connection broken) since the bus opened. */
  public long droppedEvents() {
    return dropped.get();
  }

  @Override
  public void messageStored(long messageId, UserName recipient) {
    offer(new Event("m", messageId, recipient.value(), null));
  }

  @Override
  public void stateChanged(long messageId, UserName sender, DeliveryState state) {
    offer(new Event("s", messageId, sender.value(), (long) state.code()));
  }

  @Override
  public void accountDeleted(UserName user) {
    offer(new Event("d", 0, user.value(), null));
  }

  // presence (docs/protocol.md section 21): the "message id" column carries the last-seen time,
  // the state column whether the user is online (1) or not (0).
  @Override
  public void presenceChanged(UserName user, boolean online, long lastSeenMillis) {
    offer(new Event("p", lastSeenMillis, user.value(), online ? 1L : 0L));
  }

  // rooms (docs/protocol.md section 19): the last column carries the room id.
  @Override
  public void roomMessageStored(long roomId, long messageId, UserName sender) {
    offer(new Event("r", messageId, sender.value(), roomId));
  }

  private void offer(Event e) {
    if (closed || !queue.offer(e)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public synchronized void listen(PushBus.Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (listenerThread != null) {
      throw new IllegalStateException("the bus already has a listener");
    }
    listenerThread = new Thread(() -> listenLoop(listener), "p2pchat-push-listener");
    listenerThread.setDaemon(true);
    listenerThread.start();
  }

  /** Stops both threads (events still queued are dropped) and closes their connections. */
  @Override
  public void close() {
    closed = true;
    publisher.interrupt();
    Thread l = listenerThread;
    if (l != null) {
      l.interrupt();
    }
    join(publisher);
    if (l != null) {
      join(l);
    }
  }

  @Override
  public String toString() {
    return "PostgresPushBus{" + target + ", node " + nodeId + "}";
  }

  // ---------------------------------------------------------------- publishing

  private void publishLoop() {
    List<Event> batch = new ArrayList<>(MAX_BATCH);
    while (!closed) {
      try (Connection c = connect()) {
        String channel = channel(c);
        // A notifying statement commits with a transaction id, which would wait for a WAL flush;
        // an event needs no durability (history has the message), so it need not wait.
        try (Statement s = c.createStatement()) {
          s.execute("SET synchronous_commit = off");
        }
        try (PreparedStatement ps = c.prepareStatement(PUBLISH)) {
          while (!closed) {
            batch.clear();
            batch.add(queue.take());
            queue.drainTo(batch, MAX_BATCH - 1);
            publish(c, ps, channel, batch);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        dropped.addAndGet(batch.size());
        batch.clear();
        if (!closed) {
          LOG.warn("publishing pushes to {} failed, connecting again: {}", target, e.toString());
          if (!pause()) {
            return;
          }
        }
      }
    }
  }

  private void publish(Connection c, PreparedStatement ps, String channel, List<Event> batch) throws SQLException {
    int n = batch.size();
    String[] kinds = new String[n];
    Long[] ids = new Long[n];
    String[] names = new String[n];
    Long[] extras = new Long[n];
    for (int i = 0; i < n; i++) {
      Event e = batch.get(i);
      kinds[i] = e.kind();
      ids[i] = e.messageId();
      names[i] = e.name();
      extras[i] = e.extra();
    }
    Array a1 = c.createArrayOf("text", kinds);
    Array a2 = c.createArrayOf("bigint", ids);
    Array a3 = c.createArrayOf("text", names);
    Array a4 = c.createArrayOf("bigint", extras);
    ps.setString(1, channel);
    ps.setString(2, nodeId);
    ps.setArray(3, a1);
    ps.setArray(4, a2);
    ps.setArray(5, a3);
    ps.setArray(6, a4);
    ps.execute();
  }

  // ---------------------------------------------------------------- listening

  private void listenLoop(PushBus.Listener listener) {
    Map<Long, UserName> names = new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, UserName> eldest) {
        return size() > MAX_CACHED_NAMES;
      }
    };
    boolean reconnect = false;
    while (!closed) {
      try (Connection c = connect()) {
        String channel = channel(c);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + quoted(channel));
        }
        if (reconnect) {
          LOG.info("listening for pushes on {} again", target);
          listener.onGap();
        }
        reconnect = true;
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastCheck = System.nanoTime();
        while (!closed) {
          PGNotification[] got = pg.getNotifications(POLL_MILLIS);
          if (got != null && got.length > 0) {
            deliver(c, got, names, listener);
            lastCheck = System.nanoTime();
          } else if (System.nanoTime() - lastCheck > TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS)) {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            lastCheck = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed || Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.warn("listening for pushes on {} failed, connecting again: {}", target, e.toString());
        reconnect = true;
        if (!pause()) {
          return;
        }
      }
    }
  }

  private void deliver(Connection c, PGNotification[] got, Map<Long, UserName> names, PushBus.Listener listener)
      throws SQLException {
    List<String[]> events = new ArrayList<>(got.length);
    Set<Long> missing = new HashSet<>();
    for (PGNotification n : got) {
      String[] f = n.getParameter().split(" ");
      if (f.length < 4 || f[0].equals(nodeId)) {
        continue;
      }
      events.add(f);
      long user = Long.parseLong(f[3]);
      if (!names.containsKey(user)) {
        missing.add(user);
      }
    }
    if (!missing.isEmpty()) {
      names.putAll(lookUp(c, missing));
    }
    for (String[] f : events) {
      UserName user = names.get(Long.parseLong(f[3]));
      if (user == null) {
        continue; // a user this schema does not have: not ours
      }
      long messageId = Long.parseLong(f[2]);
      try {
        if (f[1].equals("m")) {
          listener.onMessageStored(messageId, user);
        } else if (f[1].equals("s") && f.length >= 5) {
          listener.onStateChanged(messageId, user, DeliveryState.of(Integer.parseInt(f[4])));
        } else if (f[1].equals("d")) {
          listener.onAccountDeleted(user);
        } else if (f[1].equals("p") && f.length >= 5) {
          listener.onPresenceChanged(user, f[4].equals("1"), messageId);
        } else if (f[1].equals("r") && f.length >= 5) {
          listener.onRoomMessageStored(Long.parseLong(f[4]), messageId, user);
        }
      } catch (RuntimeException e) {
        LOG.warn("the push listener failed for message {}: {}", messageId, e.toString());
      }
    }
  }

  private static Map<Long, UserName> lookUp(Connection c, Set<Long> ids) throws SQLException {
    Map<Long, UserName> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM users WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", ids.toArray(new Long[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getLong(1), UserName.of(rs.getString(2)));
        }
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- helpers

  private Connection connect() throws SQLException {
    Connection c = dataSource.getConnection();
    c.setAutoCommit(true);
    return c;
  }

  /** The channel of this store's tables: after the oid of its users table. */
  private static String channel(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'users'::regclass::oid")) {
      rs.next();
      return "p2pchat_push_" + rs.getLong(1);
    }
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Waits before the next connection attempt; false when the bus is closing. */
  private boolean pause() {
    try {
      Thread.sleep(RETRY_MILLIS); // a reconnect backoff, not a test's timing
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static void join(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
