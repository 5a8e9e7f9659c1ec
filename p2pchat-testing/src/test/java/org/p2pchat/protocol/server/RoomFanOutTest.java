package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomLimits;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.RoomStore;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * The cost of a room message (docs/protocol.md section 19): a room of 256 members with 50 of
 * them online costs one store write per message, and reaches each online member's session once,
 * but not the sending session; on an embedded server, so the counts are exact.
 */
class RoomFanOutTest {
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1)
      .loginAttemptsPerAddress(1000).build();
  private static final String PASSWORD = "correct horse battery";

  /** The in-memory store, counting the writes of its room facet. */
  static final class CountingStore implements ChatStore {
    final InMemoryChatStore inner = new InMemoryChatStore();
    final AtomicInteger roomWrites = new AtomicInteger();
    final AtomicInteger messageWrites = new AtomicInteger();
    private final RoomStore rooms = new RoomStore() {
      private final RoomStore r = inner.rooms();

      @Override
      public CompletableFuture<Room> createRoom(UserName owner, String title, Instant createdAt) {
        roomWrites.incrementAndGet();
        return r.createRoom(owner, title, createdAt);
      }

      @Override
      public CompletableFuture<Void> addMember(long roomId, UserName actor, UserName member) {
        roomWrites.incrementAndGet();
        return r.addMember(roomId, actor, member);
      }

      @Override
      public CompletableFuture<Void> removeMember(long roomId, UserName actor, UserName member) {
        roomWrites.incrementAndGet();
        return r.removeMember(roomId, actor, member);
      }

      @Override
      public CompletableFuture<Void> rename(long roomId, UserName actor, String title) {
        roomWrites.incrementAndGet();
        return r.rename(roomId, actor, title);
      }

      @Override
      public CompletableFuture<List<Room>> rooms(UserName member, long afterRoomId, int limit) {
        return r.rooms(member, afterRoomId, limit);
      }

      @Override
      public CompletableFuture<List<RoomMember>> members(long roomId, UserName reader) {
        return r.members(roomId, reader);
      }

      @Override
      public CompletableFuture<RoomDelivery> appendToRoom(long roomId, UserName sender, String body, Instant sentAt) {
        roomWrites.incrementAndGet();
        return r.appendToRoom(roomId, sender, body, sentAt);
      }

      @Override
      public CompletableFuture<RoomHistoryPage> roomHistory(long roomId, UserName reader, HistoryQuery query) {
        return r.roomHistory(roomId, reader, query);
      }

      @Override
      public CompletableFuture<List<UserName>> markRoomRead(long roomId, UserName reader, long upTo) {
        roomWrites.incrementAndGet();
        return r.markRoomRead(roomId, reader, upTo);
      }
    };

    @Override
    public CompletableFuture<Void> createUser(StoredUser user) {
      return inner.createUser(user);
    }

    @Override
    public CompletableFuture<Optional<StoredUser>> findUser(UserName name) {
      return inner.findUser(name);
    }

    @Override
    public CompletableFuture<Boolean> updatePasswordHash(UserName name, String passwordHash) {
      return inner.updatePasswordHash(name, passwordHash);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> append(List<NewMessage> messages) {
      messageWrites.incrementAndGet();
      return inner.append(messages);
    }

    @Override
    public CompletableFuture<HistoryPage> history(UserName reader, HistoryQuery query) {
      return inner.history(reader, query);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> markDelivered(UserName recipient, Collection<Long> ids) {
      messageWrites.incrementAndGet();
      return inner.markDelivered(recipient, ids);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> markRead(UserName recipient, Collection<Long> ids) {
      messageWrites.incrementAndGet();
      return inner.markRead(recipient, ids);
    }

    @Override
    public RoomStore rooms() {
      return rooms;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Counts the room messages a client hears. */
  static final class Counter implements ChatListener {
    final List<Long> heard = new ArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onRoomMessage(RoomMessage message) {
      heard.add(message.id());
    }
  }

  @Test
  void aMessageToARoomOf256With50OnlineIsOneStoreWriteAndOnePushPerOnlineSession() {
    CountingStore store = new CountingStore();
    try (EmbeddedServer server = EmbeddedServer.builder().store(store).config(CONFIG).build()) {
      List<ChatClient> online = new ArrayList<>();
      List<Counter> counters = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Counter c = new Counter();
        ChatClient client = server.newClient(ClientConfig.defaults(), c);
        UserName user = UserName.of("user" + i);
        CompletableFuture<Void> in = client.register(user, PASSWORD).thenCompose(v -> client.login(user, PASSWORD));
        server.runPendingTasks();
        assertThat(in).isCompleted();
        online.add(client);
        counters.add(c);
      }
      CompletableFuture<Room> created = online.get(0).rooms().create("everyone");
      server.runPendingTasks();
      long room = created.join().id();
      RoomStore rooms = store.inner.rooms();
      for (int i = 1; i < RoomLimits.MAX_MEMBERS; i++) {
        UserName u = UserName.of("user" + i);
        if (i >= 50) {
          store.inner.createUser(StoredUser.of(u, "hash", Instant.EPOCH)).join();
        }
        rooms.addMember(room, UserName.of("user0"), u).join();
      }
      int roomWrites = store.roomWrites.get();
      int messageWrites = store.messageWrites.get();

      CompletableFuture<RoomMessage> sent = online.get(0).rooms().send(room, "to all 256");
      server.runPendingTasks();

      assertThat(sent).isCompleted();
      assertThat(store.roomWrites.get() - roomWrites).as("room store writes per message").isEqualTo(1);
      assertThat(store.messageWrites.get() - messageWrites).as("other store writes").isZero();
      assertThat(counters.get(0).heard).as("the sending session").isEmpty();
      for (int i = 1; i < 50; i++) {
        assertThat(counters.get(i).heard).as("user%d", i).containsExactly(sent.join().id());
      }
      assertThat(server.stats().pendingPushes()).as("every push acknowledged").isZero();
    }
  }
}
