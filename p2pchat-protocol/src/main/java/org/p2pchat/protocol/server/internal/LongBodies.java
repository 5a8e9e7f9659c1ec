package org.p2pchat.protocol.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

/**
 * The bodies of the long messages stored or read last, as UTF-8, so that the MESSAGE_PART
 * requests of a recipient fetching a message just pushed cost no store read each. Bounded
 * ({@link #MAX_ENTRIES} bodies of at most 64 KiB: 4 MiB); the store has every body. Owned by
 * the loop.
 */
final class LongBodies {
  /** The most bodies remembered. */
  static final int MAX_ENTRIES = 64;

  /** A long message's parties and body. */
  record Body(UserName sender, UserName recipient, byte[] utf8) {
    /** Whether {@code user} sent or received the message. */
    boolean isParty(UserName user) {
      return sender.equals(user) || recipient.equals(user);
    }
  }

  private final Map<Long, Body> bodies = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Body> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** The remembered body of message {@code id}, or null. */
  Body get(long id) {
    return bodies.get(id);
  }

  /** Remembers a message's body; returns it. */
  Body put(ChatMessage m) {
    Body b = new Body(m.sender(), m.recipient(), m.body().getBytes(StandardCharsets.UTF_8));
    bodies.put(m.id(), b);
    return b;
  }

  int size() {
    return bodies.size();
  }
}
