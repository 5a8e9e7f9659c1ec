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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.testing.InMemoryChatStore;

/** Contacts and blocks end to end, over real loopback UDP inside the secure channel. */
class ContactsAndBlocksTest {
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private ChatClient client(String user, ChatFixture.Inbox inbox) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(inbox).build();
    open.add(c);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD));
    return c;
  }

  private void start() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(FAST_HASHING).build();
    open.add(server);
  }

  @Test
  void aBlockedUsersMessagesAndInvitesNeverArriveAndTheAnswerIsTheSameOnlineOrNot() throws Exception {
    start();
    ChatFixture.Inbox aliceInbox = new ChatFixture.Inbox();
    ChatClient alice = client("alice", aliceInbox);
    ChatClient mallory = client("mallory", new ChatFixture.Inbox());
    await(alice.contacts().block(name("mallory")));
    assertThat(await(alice.contacts().blocked())).containsExactly(name("mallory"));

    assertThat(failureOf(mallory.send(name("alice"), "let me in"))).isEqualTo(ErrorCode.BLOCKED);
    Room room = await(mallory.rooms().create("trap"));
    assertThat(failureOf(mallory.rooms().add(room.id(), name("alice")))).isEqualTo(ErrorCode.BLOCKED);
    await(alice.logout());
    assertThat(failureOf(mallory.send(name("alice"), "are you there?"))).isEqualTo(ErrorCode.BLOCKED);
    await(alice.login(name("alice"), PASSWORD));

    assertThat(await(alice.history(HistoryQuery.latest())).messages()).isEmpty();
    assertThat(await(alice.rooms().list())).isEmpty();
    assertThat(aliceInbox.all).isEmpty();
    await(alice.contacts().unblock(name("mallory")));
    await(mallory.send(name("alice"), "sorry"));
    assertThat(aliceInbox.next().body()).isEqualTo("sorry");
  }

  @Test
  void presenceIsSharedByMutualContactsOnlyAndNeverWithABlockedUser() throws Exception {
    start();
    ChatClient alice = client("alice", new ChatFixture.Inbox());
    ChatClient bob = client("bob", new ChatFixture.Inbox());
    ChatClient carol = client("carol", new ChatFixture.Inbox());
    await(alice.contacts().add(name("bob")));
    await(bob.contacts().add(name("alice")));
    await(alice.contacts().add(name("carol"))); // carol does not list alice
    await(carol.contacts().add(name("bob")));
    await(bob.contacts().add(name("carol")));
    await(bob.contacts().block(name("carol"))); // and bob blocks carol

    List<Contact> mine = await(alice.contacts().list());
    assertThat(mine).extracting(Contact::name, Contact::presence).containsExactly(
        org.assertj.core.groups.Tuple.tuple(name("bob"), Contact.Presence.ONLINE),
        org.assertj.core.groups.Tuple.tuple(name("carol"), Contact.Presence.UNKNOWN));
    assertThat(mine.get(0).lastSeen()).isPresent();
    assertThat(mine.get(1).lastSeen()).isEmpty();
    assertThat(await(carol.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.UNKNOWN);

    await(bob.logout());
    assertThat(await(alice.contacts().list()).get(0).presence()).isEqualTo(Contact.Presence.OFFLINE);
    assertThat(await(carol.contacts().list())).extracting(Contact::presence).containsExactly(Contact.Presence.UNKNOWN);
    await(alice.contacts().remove(name("bob")));
    assertThat(await(alice.contacts().list())).extracting(Contact::name).containsExactly(name("carol"));
  }
}
