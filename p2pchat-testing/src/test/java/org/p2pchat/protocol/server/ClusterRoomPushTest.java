package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.EmbeddedServer;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryPushBus;
import org.p2pchat.testing.ManualClock;

/**
 * A room whose members sit on three nodes of one store and one push bus, on the test's thread:
 * a room message stored on one node reaches every member's session on every node once, the
 * sender's other device included and the sending session not; a node with no member online
 * pushes nothing.
 */
class ClusterRoomPushTest {
  private static final String PASSWORD = "correct horse battery";
  private static final ServerConfig CONFIG = ServerConfig.builder().argon2MemoryKib(64).argon2Iterations(1).build();

  private final InMemoryChatStore store = new InMemoryChatStore();
  private final InMemoryPushBus bus = new InMemoryPushBus();
  private final ManualClock clock = new ManualClock();
  private final List<EmbeddedServer> nodes = List.of(node(7781), node(7782), node(7783), node(7784));

  private EmbeddedServer node(int port) {
    return EmbeddedServer.builder().store(store).pushBus(bus.node()).clock(clock)
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).config(CONFIG).build();
  }

  @AfterEach
  void stop() {
    nodes.forEach(EmbeddedServer::close);
    store.close();
  }

  /** Runs every node until none has anything left to do. */
  private void run() {
    int ran;
    do {
      ran = 0;
      for (EmbeddedServer n : nodes) {
        ran += n.runPendingTasks();
      }
    } while (ran > 0);
  }

  private <T> T complete(CompletableFuture<T> f) {
    run();
    assertThat(f).isDone();
    return f.join();
  }

  /** The room messages pushed to one client. */
  private static final class Inbox implements ChatListener {
    final List<RoomMessage> rooms = new ArrayList<>();

    @Override
    public void onMessage(ChatMessage message) {}

    @Override
    public void onStateChanged(long messageId, UserName recipient, DeliveryState state) {}

    @Override
    public void onRoomMessage(RoomMessage message) {
      rooms.add(message);
    }
  }

  private ChatClient loggedIn(EmbeddedServer node, String name, Inbox inbox, boolean register) {
    ChatClient c = node.newClient(ClientConfig.defaults(), inbox);
    if (register) {
      complete(c.register(UserName.of(name), PASSWORD));
    }
    complete(c.login(UserName.of(name), PASSWORD));
    return c;
  }

  @Test
  void aRoomMessageReachesEveryMembersSessionOnEveryNodeOnce() {
    Inbox alicesPhone = new Inbox();
    Inbox alicesLaptop = new Inbox();
    Inbox bobs = new Inbox();
    Inbox carols = new Inbox();
    Inbox daves = new Inbox();
    ChatClient alice = loggedIn(nodes.get(0), "alice", alicesPhone, true);
    loggedIn(nodes.get(2), "alice", alicesLaptop, false);
    loggedIn(nodes.get(1), "bob", bobs, true);
    loggedIn(nodes.get(2), "carol", carols, true);
    loggedIn(nodes.get(1), "dave", daves, true); // online, not a member
    Inbox erins = new Inbox();
    loggedIn(nodes.get(3), "erin", erins, true); // the only one on the fourth node, not a member
    Room room = complete(alice.rooms().create("across nodes"));
    complete(alice.rooms().add(room.id(), UserName.of("bob")));
    complete(alice.rooms().add(room.id(), UserName.of("carol")));

    RoomMessage first = complete(alice.rooms().send(room.id(), "first"));
    RoomMessage second = complete(alice.rooms().send(room.id(), "second"));
    run();

    for (Inbox member : List.of(bobs, carols, alicesLaptop)) {
      assertThat(member.rooms).extracting(RoomMessage::id).containsExactly(first.id(), second.id());
      assertThat(member.rooms).extracting(RoomMessage::body).containsExactly("first", "second");
      assertThat(member.rooms).allSatisfy(m -> {
        assertThat(m.roomId()).isEqualTo(room.id());
        assertThat(m.sender()).isEqualTo(UserName.of("alice"));
      });
    }
    assertThat(alicesPhone.rooms).as("the sending session").isEmpty();
    assertThat(daves.rooms).as("not a member").isEmpty();
    assertThat(erins.rooms).as("not a member, alone on a node").isEmpty();
  }

  @Test
  void aMemberWhoLeftIsNotPushedOnTheOtherNode() {
    Inbox alices = new Inbox();
    Inbox bobs = new Inbox();
    Inbox carols = new Inbox();
    ChatClient alice = loggedIn(nodes.get(0), "alice", alices, true);
    ChatClient bob = loggedIn(nodes.get(1), "bob", bobs, true);
    loggedIn(nodes.get(2), "carol", carols, true);
    Room room = complete(alice.rooms().create("leaving"));
    complete(alice.rooms().add(room.id(), UserName.of("bob")));
    complete(alice.rooms().add(room.id(), UserName.of("carol")));
    complete(bob.rooms().leave(room.id()));

    RoomMessage m = complete(alice.rooms().send(room.id(), "after bob left"));
    run();

    assertThat(carols.rooms).extracting(RoomMessage::id).containsExactly(m.id());
    assertThat(bobs.rooms).isEmpty();
  }
}
