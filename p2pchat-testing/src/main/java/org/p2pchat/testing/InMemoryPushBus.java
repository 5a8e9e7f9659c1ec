package org.p2pchat.testing;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;

/**
 * The push bus of a cluster in one process: {@link #node()} gives each server its own end, and
 * an event one end publishes reaches every other end's listener at once, on the publishing
 * thread. With {@link EmbeddedServer}s on one store, a cluster that runs on the test's thread.
 * Thread-safe.
 */
public final class InMemoryPushBus {
  private final List<Node> nodes = new CopyOnWriteArrayList<>();

  /** A new bus with no node. */
  public InMemoryPushBus() {}

  /** A new end of the bus, for one server. */
  public PushBus node() {
    Node n = new Node();
    nodes.add(n);
    return n;
  }

  private final class Node implements PushBus {
    private volatile Listener listener;

    @Override
    public void messageStored(long messageId, UserName recipient) {
      for (Node n : nodes) {
        Listener l = n.listener;
        if (n != this && l != null) {
          l.onMessageStored(messageId, recipient);
        }
      }
    }

    @Override
    public void stateChanged(long messageId, UserName sender, DeliveryState state) {
      for (Node n : nodes) {
        Listener l = n.listener;
        if (n != this && l != null) {
          l.onStateChanged(messageId, sender, state);
        }
      }
    }

    // presence (docs/protocol.md section 21)
    @Override
    public void presenceChanged(UserName user, boolean online, long lastSeenMillis) {
      for (Node n : nodes) {
        Listener l = n.listener;
        if (n != this && l != null) {
          l.onPresenceChanged(user, online, lastSeenMillis);
        }
      }
    }

    @Override
    public void accountDeleted(UserName user) {
      for (Node n : nodes) {
        Listener l = n.listener;
        if (n != this && l != null) {
          l.onAccountDeleted(user);
        }
      }
    }

    // rooms (docs/protocol.md section 19)
    @Override
    public void roomMessageStored(long roomId, long messageId, UserName sender) {
      for (Node n : nodes) {
        Listener l = n.listener;
        if (n != this && l != null) {
          l.onRoomMessageStored(roomId, messageId, sender);
        }
      }
    }

    @Override
    public void listen(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void close() {
      nodes.remove(this);
    }
  }
}
