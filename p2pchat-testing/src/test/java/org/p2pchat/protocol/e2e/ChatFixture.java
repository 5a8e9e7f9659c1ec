package org.p2pchat.protocol.e2e;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.api.ServerPublicKey;

/** Shared pieces of the end-to-end tests. */
final class ChatFixture {
  /** Cheap Argon2 parameters: the tests check behaviour, not hash strength. */
  static final ServerConfig FAST_HASHING = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();

  static final String PASSWORD = "correct horse battery";

  private ChatFixture() {}

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The error code a future failed with. */
  static ErrorCode failureOf(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof ChatException) {
        return ((ChatException) e.getCause()).code();
      }
      throw new AssertionError("failed with something else", e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure, but it succeeded");
  }

  /** The public key a client pins to talk to {@code server} over the (default) secure channel. */
  static ServerPublicKey keyOf(ChatServer server) {
    return server.publicKey().orElseThrow();
  }

  static UserName name(String s) {
    return UserName.of(s);
  }

  /** A listener that records what it hears. */
  static final class Inbox implements ChatListener {
    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final List<ChatMessage> all = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> states = new LinkedBlockingQueue<>();
    final BlockingQueue<ChatException> lost = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {
      all.add(message);
      messages.add(message);
    }

    @Override
    public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {
      states.add(messageId + ":" + state);
    }

    @Override
    public void onSessionLost(ChatException cause) {
      lost.add(cause);
    }

    ChatMessage next() {
      try {
        ChatMessage m = messages.poll(30, TimeUnit.SECONDS);
        if (m == null) {
          throw new AssertionError("no message arrived");
        }
        return m;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    String nextState() {
      try {
        String s = states.poll(30, TimeUnit.SECONDS);
        if (s == null) {
          throw new AssertionError("no state change arrived");
        }
        return s;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
