package org.p2pchat.protocol.client.internal;

import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.internal.SecureClientTransport;

/**
 * What the client engine may do about the way to its server when the server goes quiet: one
 * node over plaintext (nothing), one node over the secure channel (a new handshake, since a
 * restarted server forgot the channel), or a cluster's nodes (the next node). The engine asks
 * this, never the transport's type.
 */
interface ServerPath {
  /** Nothing to do: one node, plaintext. */
  ServerPath PLAIN = new ServerPath() {
    @Override
    public int nodeCount() {
      return 1;
    }

    @Override
    public void serverWentSilent() {}

    @Override
    public void nodeTimedOut() {}
  };

  /** The path of {@code transport}, from what it is. */
  static ServerPath of(Transport transport) {
    if (transport instanceof FailoverTransport cluster) {
      return new ServerPath() {
        @Override
        public int nodeCount() {
          return cluster.nodeCount();
        }

        @Override
        public void serverWentSilent() {
          cluster.moveOn(); // a silent node may be gone: resume on the next (sessions resume on any node)
        }

        @Override
        public void nodeTimedOut() {
          cluster.moveOn();
        }
      };
    }
    if (transport instanceof SecureClientTransport secure) {
      return new ServerPath() {
        @Override
        public int nodeCount() {
          return 1;
        }

        @Override
        public void serverWentSilent() {
          secure.restart(); // a restarted server forgot the channel too
        }

        @Override
        public void nodeTimedOut() {}
      };
    }
    return PLAIN;
  }

  /** How many server nodes the client can reach; 1 but for a cluster. */
  int nodeCount();

  /** The server stopped answering the session: make the next attempt go where it may succeed. */
  void serverWentSilent();

  /** One request got no answer from the current node: a cluster moves to the next one. */
  void nodeTimedOut();
}
