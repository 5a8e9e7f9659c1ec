package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.api.store.ContactStore.StoredContact;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.internal.PushPresenceFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence pushed when it changes (docs/protocol.md section 21). The session table tells it when
 * a user's first session here comes up and their last one goes; the other nodes tell it (through
 * the {@link PushBus}) what they saw; a PRESENCE_HIDE tells it the user hid or showed. Each is a
 * reason to <em>evaluate</em> the user: read whether they hide and who their mutual contacts are
 * (two store reads), work out what those contacts may see, and if that changed, push
 * PUSH_PRESENCE to the contacts' online sessions here and publish this node's part on the bus.
 *
 * <p>Coalesced: a user is evaluated at most once per {@link ServerConfig#presenceInterval()}; a
 * change within the interval arms one timer for its end, and the evaluation then reads the
 * latest state, so a flapping client costs each contact at most one push per interval. Bounded:
 * one evaluation pushes to at most {@link #MAX_SESSIONS_PER_CHANGE} sessions (256 contacts, two
 * devices each on average), in slices of {@link #SLICE}, through {@link Pushes} (acknowledged,
 * retransmitted, skipped past the bound on pending pushes: CONTACT_LIST has the state); the
 * users remembered are at most {@link #MAX_USERS}, the least recently used forgotten first (a
 * forgotten user's last-seen time becomes unknown, 0, as after a restart).
 *
 * <p>Owned by the loop, but for {@link #remoteChanged}, which the bus calls on its thread.
 */
final class Presence implements SessionTable.Observer {
  private static final Logger log = LoggerFactory.getLogger(Presence.class);
  /** The most users whose presence a node remembers (its own sessions' users and the others'). */
  static final int MAX_USERS = 100_000;
  /** The most sessions one change is pushed to. */
  static final int MAX_SESSIONS_PER_CHANGE = 512;
  /** The pushes started per loop task. */
  static final int SLICE = 64;

  /** What contacts may see of a user: online or not, and since when / last seen (0 = unknown). */
  private record Seen(boolean online, long lastSeenMillis) {}

  /** What this node knows of one user. Loop-confined. */
  private final class Entry extends Timer {
    final UserName user;
    /** The latest last-heard time of the user's sessions that ended here while others remain. */
    long closedLastHeard;
    /** When the user's last session here went away (0 = not while remembered). */
    long localLastSeen;
    /** What another node last published: whether the user is online there, and when last seen. */
    boolean remoteOnline;
    long remoteLastSeen;
    /** What this node last published on the bus about its own sessions (null = nothing yet). */
    Seen published;
    /** What this node last pushed to (or would show) the user's contacts here (null = nothing yet). */
    Seen shown;
    /** When the user was last evaluated (0 = never). */
    long evaluatedAt;
    /** Whether an evaluation is reading the store. */
    boolean evaluating;
    /** Whether another change came during the read or the interval: evaluate again. */
    boolean again;
    /** Whether to publish this node's state even when unchanged: another node contradicted it. */
    boolean republish;

    Entry(UserName user) {
      this.user = user;
    }

    @Override
    protected void onDeadline(long nowMillis) {
      evaluate(this);
    }
  }

  private final EventLoop loop;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final ContactStore contacts;
  private final PushBus bus;
  private final long intervalMillis;
  private final long onlineWindowMillis;
  private final ByteBuffer out = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);
  private final PushPresenceFlyweight push = new PushPresenceFlyweight();
  private final Map<UserName, Entry> users = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<UserName, Entry> eldest) {
      if (size() > MAX_USERS) {
        loop.cancel(eldest.getValue());
        return true;
      }
      return false;
    }
  };

  Presence(EventLoop loop, SessionTable sessions, Pushes pushes, ContactStore contacts, PushBus bus,
      ServerConfig config) {
    this.loop = loop;
    this.sessions = sessions;
    this.pushes = pushes;
    this.contacts = contacts;
    this.bus = bus;
    this.intervalMillis = config.presenceInterval().toMillis();
    this.onlineWindowMillis = config.onlineWindow().toMillis();
  }

  // ---------------------------------------------------------------- what changes presence

  @Override
  public void firstSessionUp(UserName user, long nowMillis) {
    Entry e = entry(user);
    e.closedLastHeard = 0;
    changed(e);
  }

  @Override
  public void sessionDown(UserName user, long lastHeardMillis, boolean wasLast) {
    Entry e = entry(user);
    e.closedLastHeard = Math.max(e.closedLastHeard, lastHeardMillis);
    if (wasLast) {
      e.localLastSeen = e.closedLastHeard;
      e.closedLastHeard = 0;
      changed(e);
    }
  }

  /** {@code user} hid or showed their presence (the store has the setting). On the loop. */
  void hidingChanged(UserName user) {
    changed(entry(user));
  }

  /**
   * {@code adder} added {@code other} as a contact, or unblocked them (durably), which they had
   * not before. When that made them mutual contacts, each who is online is shown to the other's
   * sessions here at once, rather than at their next change (docs/protocol.md section 21). Three
   * store reads, for a rare request; an offline contact is not pushed (its last-seen time is in
   * CONTACT_LIST). On the loop.
   */
  void contactAdded(UserName adder, UserName other) {
    CompletableFuture<List<StoredContact>> list = contacts.contacts(adder);
    CompletableFuture<Boolean> adderHides = contacts.presenceHidden(adder);
    CompletableFuture<Boolean> otherHides = contacts.presenceHidden(other);
    CompletableFuture.allOf(list, adderHides, otherHides).whenComplete((v, failure) -> {
      if (failure != null) {
        log.debug("reading the contacts of {} after an add failed: {}", adder, failure.toString());
        return;
      }
      boolean mutual = list.join().stream().anyMatch(c -> c.name().equals(other) && c.mutual());
      if (mutual) {
        loop.execute(() -> {
          showIfOnline(contact(other, otherHides.join(), loop.now()), adder);
          showIfOnline(contact(adder, adderHides.join(), loop.now()), other);
        });
      }
    });
  }

  /** Pushes {@code seen}, when online, to {@code viewer}'s online sessions here. On the loop. */
  private void showIfOnline(Contact seen, UserName viewer) {
    if (seen.presence() != Contact.Presence.ONLINE) {
      return;
    }
    List<Session> targets = new ArrayList<>(sessions.online(viewer, loop.now(), onlineWindowMillis));
    pushPresence(new Seen(true, seen.lastSeen().map(java.time.Instant::toEpochMilli).orElse(0L)), seen.name(), targets);
  }

  /** Another node published {@code user}'s presence there. Any thread. */
  void remoteChanged(UserName user, boolean online, long lastSeenMillis) {
    loop.execute(() -> {
      Entry e = entry(user);
      e.remoteOnline = online;
      e.remoteLastSeen = Math.max(e.remoteLastSeen, lastSeenMillis);
      if (!online && sessions.hasAny(user)) {
        e.republish = true; // the user is still here: tell the others again
      }
      changed(e);
    });
  }

  /**
   * The bus lost events: the other nodes may have missed ours, so this node publishes again its
   * users who are online here. What the others told it stays until they say otherwise: it may be
   * stale, but forgetting it would be wrong for longer (their users who stayed would look offline
   * until they next changed).
   */
  void gap() {
    loop.execute(() -> {
      for (Entry e : List.copyOf(users.values())) {
        if (sessions.hasAny(e.user)) {
          e.republish = true;
          changed(e);
        }
      }
    });
  }

  // ---------------------------------------------------------------- CONTACT_LIST

  /**
   * What the owner of a contact list may see of mutual contact {@code c} now, on the loop: from
   * the sessions here when there are any, else from what the other nodes published, else the
   * last-seen time remembered; a contact who hides looks offline, last seen when they were last
   * shown offline (or when they hid), exactly as a user who went offline then.
   */
  Contact contact(UserName c, boolean hidden, long now) {
    Entry e = users.get(c);
    if (hidden) {
      long seen = e == null ? 0
          : e.shown != null && !e.shown.online() ? e.shown.lastSeenMillis()
          : Math.max(e.localLastSeen, e.remoteLastSeen);
      return offline(c, seen);
    }
    if (sessions.hasAny(c)) {
      long lastHeard = 0;
      for (Session s : sessions.online(c, now, Long.MAX_VALUE)) { // every live session
        lastHeard = Math.max(lastHeard, s.lastHeardMillis);
      }
      boolean online = now - lastHeard <= onlineWindowMillis;
      return new Contact(c, online ? Contact.Presence.ONLINE : Contact.Presence.OFFLINE,
          java.util.Optional.of(java.time.Instant.ofEpochMilli(lastHeard)));
    }
    if (e == null) {
      return offline(c, 0);
    }
    if (e.remoteOnline) {
      return new Contact(c, Contact.Presence.ONLINE, seen(e.remoteLastSeen));
    }
    return offline(c, Math.max(e.localLastSeen, e.remoteLastSeen));
  }

  private static Contact offline(UserName c, long lastSeen) {
    return new Contact(c, Contact.Presence.OFFLINE, seen(lastSeen));
  }

  private static java.util.Optional<java.time.Instant> seen(long millis) {
    return millis == 0 ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.ofEpochMilli(millis));
  }

  /** How many users this node remembers, for tests and monitoring. */
  int size() {
    return users.size();
  }

  // ---------------------------------------------------------------- evaluating

  private Entry entry(UserName user) {
    return users.computeIfAbsent(user, Entry::new);
  }

  /** Evaluates {@code e} now, or at the end of its interval, or after the read in flight. */
  private void changed(Entry e) {
    if (e.evaluating || e.isScheduled()) {
      e.again = true;
      return;
    }
    long due = e.evaluatedAt == 0 ? 0 : e.evaluatedAt + intervalMillis;
    if (loop.now() >= due) {
      evaluate(e);
    } else {
      loop.schedule(e, due);
    }
  }

  private void evaluate(Entry e) {
    e.evaluatedAt = loop.now();
    e.evaluating = true;
    e.again = false;
    CompletableFuture<Boolean> hidden = contacts.presenceHidden(e.user);
    CompletableFuture<List<StoredContact>> list = contacts.contacts(e.user);
    hidden.thenCombine(list, (h, l) -> {
      loop.execute(() -> decided(e, h, l));
      return null;
    }).exceptionally(failure -> {
      log.debug("reading the contacts of {} for a presence push failed: {}", e.user, failure.toString());
      loop.execute(() -> {
        e.evaluating = false;
        if (e.again) {
          changed(e);
        }
      });
      return null;
    });
  }

  /** The store's answer for an evaluation: publish and push what changed. On the loop. */
  private void decided(Entry e, boolean hidden, List<StoredContact> list) {
    e.evaluating = false;
    long now = loop.now();
    boolean here = sessions.hasAny(e.user);
    Seen local;
    if (hidden) {
      // What was last shown, frozen: online becomes "went offline now".
      Seen before = e.shown != null ? e.shown : e.published;
      long since = before == null ? Math.max(e.localLastSeen, e.remoteLastSeen)
          : before.online() ? now : before.lastSeenMillis();
      local = new Seen(false, since);
    } else {
      local = here ? new Seen(true, now) : new Seen(false, e.localLastSeen);
    }
    boolean hadSomethingToSay = here || e.published != null;
    // Republish only to contradict another node's "offline" with "online": two nodes that both
    // said offline (a hidden user on both) must not answer each other for ever.
    boolean contradict = e.republish && local.online();
    if (hadSomethingToSay && (contradict || e.published == null || e.published.online() != local.online())) {
      bus.presenceChanged(e.user, local.online(), local.lastSeenMillis());
      e.published = local;
    }
    e.republish = false;
    Seen seen; // what the contacts here may see: this node's sessions, else the others'
    if (hidden || local.online()) {
      seen = local;
    } else if (e.remoteOnline) {
      seen = new Seen(true, e.remoteLastSeen);
    } else {
      seen = new Seen(false, Math.max(local.lastSeenMillis(), e.remoteLastSeen));
    }
    if (e.shown == null ? seen.online() : e.shown.online() != seen.online()) {
      fanOut(e.user, seen, list);
    }
    e.shown = seen;
    if (e.again) {
      changed(e);
    }
  }

  /** Pushes {@code seen} to the online sessions here of {@code user}'s mutual contacts. */
  private void fanOut(UserName user, Seen seen, List<StoredContact> list) {
    List<Session> targets = new ArrayList<>();
    long now = loop.now();
    for (StoredContact c : list) {
      if (!c.mutual()) {
        continue;
      }
      for (Session s : sessions.online(c.name(), now, onlineWindowMillis)) {
        if (targets.size() < MAX_SESSIONS_PER_CHANGE) {
          targets.add(s);
        }
      }
    }
    pushPresence(seen, user, targets);
  }

  /** Pushes {@code user}'s presence {@code seen} to {@code targets}: one frame, encoded once. */
  private void pushPresence(Seen seen, UserName user, List<Session> targets) {
    if (targets.isEmpty()) {
      return;
    }
    out.clear();
    push.encode(out, 0).presence(seen.online() ? Contact.Presence.ONLINE.code() : Contact.Presence.OFFLINE.code(),
        seen.lastSeenMillis(), user.value()).finish();
    out.flip();
    byte[] frame = new byte[out.remaining()];
    out.get(frame);
    pushSlice(frame, targets, 0);
  }

  private void pushSlice(byte[] frame, List<Session> targets, int from) {
    int to = Math.min(targets.size(), from + SLICE);
    for (int i = from; i < to; i++) {
      Session s = targets.get(i);
      if (!s.closed && !pushes.pushFrame(s, frame)) {
        return; // the bound on pending pushes: CONTACT_LIST has the state
      }
    }
    if (to < targets.size()) {
      loop.execute(() -> pushSlice(frame, targets, to));
    }
  }
}
