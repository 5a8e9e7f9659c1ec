package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.failureOf;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMember;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.testing.InMemoryChatStore;

/** Rooms end to end: three users over real loopback UDP, inside the secure channel. */
class RoomChatTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  /** Records the room pushes a client hears. */
  static final class RoomEars implements ChatListener {
    final BlockingQueue<RoomMessage> messages = new LinkedBlockingQueue<>();
    final List<RoomMessage> all = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> reads = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onRoomMessage(RoomMessage message) {
      all.add(message);
      messages.add(message);
    }

    @Override
    public void onRoomRead(long roomId, UserName reader, long upToMessageId) {
      reads.add(roomId + ":" + reader + ":" + upToMessageId);
    }

    RoomMessage next() throws InterruptedException {
      RoomMessage m = messages.poll(30, TimeUnit.SECONDS);
      assertThat(m).as("a room message").isNotNull();
      return m;
    }

    String nextRead() throws InterruptedException {
      String r = reads.poll(30, TimeUnit.SECONDS);
      assertThat(r).as("a read marker").isNotNull();
      return r;
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private ChatClient client(String user, RoomEars ears, boolean register) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(ears).build();
    open.add(c);
    if (register) {
      await(c.register(name(user), PASSWORD));
    }
    await(c.login(name(user), PASSWORD));
    return c;
  }

  @Test
  void threeUsersInARoomOverUdp() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(FAST_HASHING).build();
    open.add(server);
    RoomEars aliceEars = new RoomEars();
    RoomEars alicePhoneEars = new RoomEars();
    RoomEars bobEars = new RoomEars();
    RoomEars carolEars = new RoomEars();
    ChatClient alice = client("alice", aliceEars, true);
    ChatClient alicePhone = client("alice", alicePhoneEars, false);
    ChatClient bob = client("bob", bobEars, true);
    ChatClient carol = client("carol", carolEars, true);

    Room room = await(alice.rooms().create("team"));
    await(alice.rooms().add(room.id(), name("bob")));
    await(alice.rooms().add(room.id(), name("carol")));
    assertThat(await(bob.rooms().list())).extracting(Room::title, Room::memberCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("team", 3));

    // Every online session of every member but the sending one, once.
    RoomMessage hello = await(alice.rooms().send(room.id(), "hello all"));
    assertThat(bobEars.next().id()).isEqualTo(hello.id());
    assertThat(carolEars.next().id()).isEqualTo(hello.id());
    assertThat(alicePhoneEars.next().id()).isEqualTo(hello.id());

    // An offline member catches up from the room's history.
    await(carol.logout());
    RoomMessage away1 = await(bob.rooms().send(room.id(), "while you were away"));
    RoomMessage away2 = await(bob.rooms().send(room.id(), "and again"));
    assertThat(aliceEars.next().id()).isEqualTo(away1.id());
    assertThat(aliceEars.next().id()).isEqualTo(away2.id());
    await(carol.login(name("carol"), PASSWORD));
    List<RoomMessage> missed = await(carol.rooms().history(room.id(),
        HistoryQuery.builder().unreadOnly(true).direction(HistoryQuery.Direction.AFTER).build())).messages();
    assertThat(missed).extracting(RoomMessage::id).containsExactly(hello.id(), away1.id(), away2.id());

    // Read counts reach the senders: pushed, and in history.
    await(carol.rooms().markRead(room.id(), away2.id()));
    assertThat(bobEars.nextRead()).isEqualTo(room.id() + ":carol:" + away2.id());
    assertThat(aliceEars.nextRead()).isEqualTo(room.id() + ":carol:" + away2.id());
    assertThat(await(alice.rooms().history(room.id(), HistoryQuery.latest())).messages())
        .extracting(RoomMessage::readCount).containsExactly(1, 1, 1);
    assertThat(await(alice.rooms().members(room.id()))).extracting(RoomMember::readUpTo)
        .containsExactly(0L, 0L, away2.id());

    // A removed member stops receiving at once and loses the room.
    await(alice.rooms().remove(room.id(), name("bob")));
    RoomMessage secret = await(alice.rooms().send(room.id(), "after bob"));
    assertThat(carolEars.next().id()).isEqualTo(secret.id());
    assertThat(failureOf(bob.rooms().history(room.id(), HistoryQuery.latest()))).isEqualTo(ErrorCode.NO_SUCH_ROOM);
    assertThat(await(bob.rooms().list())).isEmpty(); // an answer after any push the server sent bob before
    assertThat(bobEars.all).extracting(RoomMessage::id).containsExactly(hello.id());
    assertThat(failureOf(bob.rooms().send(room.id(), "let me in"))).isEqualTo(ErrorCode.NO_SUCH_ROOM);
    assertThat(failureOf(carol.rooms().add(room.id(), name("bob")))).isEqualTo(ErrorCode.NOT_ROOM_OWNER);

    // Nobody heard anything twice.
    assertThat(alicePhoneEars.all).extracting(RoomMessage::id).doesNotHaveDuplicates();
    assertThat(carolEars.all).extracting(RoomMessage::id).doesNotHaveDuplicates();
    assertThat(aliceEars.all).extracting(RoomMessage::id).doesNotContain(hello.id(), secret.id());
  }
}
