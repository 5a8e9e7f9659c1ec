package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.api.UserName;

/**
 * The introduced pairs of devices (docs/protocol.md section 25): a link names two sessions and
 * what each said of itself (its static key, whether it takes direct connections, its own
 * addresses). A link is the relay's permission: RELAY forwards only along one. Bounded in
 * total and per session (the oldest link goes first); a link of a closed session is dead and
 * dropped when met. Owned by the event loop; not thread-safe.
 */
final class PeerLinks {
  /** What a device said of itself in its PEER_CONNECT. */
  record Offer(byte[] staticKey, boolean direct, List<InetSocketAddress> candidates) {}

  /** One introduced pair: {@link #offerer} asked, {@link #answerer} was asked. */
  static final class Link {
    final long id;
    final Session offerer;
    final Session answerer;
    final Offer offer;
    Offer answer;

    Link(long id, Session offerer, Session answerer, Offer offer) {
      this.id = id;
      this.offerer = offerer;
      this.answerer = answerer;
      this.offer = offer;
    }

    boolean isDead() {
      return offerer.closed || answerer.closed;
    }

    /** The other end of the link from {@code session}; null when {@code session} is neither. */
    Session otherEnd(Session session) {
      return session == offerer ? answerer : session == answerer ? offerer : null;
    }
  }

  private final int maxLinks;
  private final int maxPerSession;
  private final SecureRandom random = new SecureRandom();
  /** In creation order, so the first entry is the oldest. */
  private final Map<Long, Link> byId = new LinkedHashMap<>();

  PeerLinks(int maxLinks, int maxPerSession) {
    this.maxLinks = maxLinks;
    this.maxPerSession = maxPerSession;
  }

  /**
   * A new link from {@code offerer} to {@code answerer}, making room as the bounds say: it
   * replaces a link of the same two sessions, and where a session is at its bound, the oldest of
   * its links to the same other user goes first, so that one contact's introductions cannot
   * crowd out a device's links to everyone else.
   */
  Link open(Session offerer, Session answerer, Offer offer) {
    byId.values().removeIf(l -> (l.offerer == offerer && l.answerer == answerer)
        || (l.offerer == answerer && l.answerer == offerer));
    dropBeyondBounds(offerer, answerer.user);
    dropBeyondBounds(answerer, offerer.user);
    if (byId.size() >= maxLinks) {
      sweepDead();
      if (byId.size() >= maxLinks) {
        Iterator<Link> oldest = byId.values().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    long id;
    do {
      id = random.nextLong() & Long.MAX_VALUE; // an unguessable id: a stranger cannot name a link
    } while (id == 0 || byId.containsKey(id));
    Link link = new Link(id, offerer, answerer, offer);
    byId.put(id, link);
    return link;
  }

  /** The live link {@code id}, or null (unknown, or one end closed: then it is dropped). */
  Link find(long id) {
    Link link = byId.get(id);
    if (link != null && link.isDead()) {
      byId.remove(id);
      return null;
    }
    return link;
  }

  int size() {
    return byId.size();
  }

  /** Makes room for one more link of {@code session}'s, to {@code other}: theirs go first, oldest first. */
  private void dropBeyondBounds(Session session, UserName other) {
    List<Long> mine = new ArrayList<>();
    List<Long> withOther = new ArrayList<>();
    for (Link l : byId.values()) {
      if (l.offerer == session || l.answerer == session) {
        mine.add(l.id);
        if (l.otherEnd(session).user.equals(other)) {
          withOther.add(l.id);
        }
      }
    }
    int excess = mine.size() - maxPerSession + 1;
    for (int i = 0; i < excess && i < withOther.size(); i++) {
      byId.remove(withOther.get(i));
      mine.remove(withOther.get(i));
    }
    for (int i = 0; i < mine.size() - maxPerSession + 1; i++) {
      byId.remove(mine.get(i));
    }
  }

  /** Ends every link between a session of {@code a} and one of {@code b} (they stopped being mutual contacts). */
  void endBetween(UserName a, UserName b) {
    byId.values().removeIf(l -> (l.offerer.user.equals(a) && l.answerer.user.equals(b))
        || (l.offerer.user.equals(b) && l.answerer.user.equals(a)));
  }

  private void sweepDead() {
    byId.values().removeIf(Link::isDead);
  }
}
