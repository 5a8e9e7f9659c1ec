package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.LoopAgent;
import org.p2pchat.protocol.internal.MovableClock;
import org.p2pchat.protocol.internal.RecordingTransport;

/** What presence keeps and sends stays bounded, whatever a flood of sessions or bus events asks. */
class PresenceBoundsTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final ServerConfig CONFIG = ServerConfig.builder().maxPendingPushes(100_000).build();

  private final MovableClock clock = new MovableClock();
  private final RecordingTransport wire = new RecordingTransport(7777);
  /** Alice's contacts, each mutual; every other user has none. */
  private final List<ContactStore.StoredContact> alicesContacts = new ArrayList<>();
  private EventLoop loop;
  private SessionTable sessions;
  private Presence presence;

  /** A contact store that answers at once: nobody hides, alice has {@link #alicesContacts}. */
  private final ContactStore contacts = new ContactStore() {
    @Override
    public CompletableFuture<Void> addContact(UserName owner, UserName contact) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<Void> removeContact(UserName owner, UserName contact) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<List<StoredContact>> contacts(UserName owner) {
      return CompletableFuture.completedFuture(owner.equals(ALICE) ? List.copyOf(alicesContacts) : List.of());
    }

    @Override
    public CompletableFuture<Void> block(UserName owner, UserName blocked) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<Void> unblock(UserName owner, UserName blocked) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<List<UserName>> blocked(UserName owner) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<Boolean> isBlocked(UserName owner, UserName other) {
      throw new AssertionError();
    }

    @Override
    public CompletableFuture<Set<UserName>> contactsHidingPresence(UserName owner) {
      return CompletableFuture.completedFuture(Set.of());
    }
  };

  @BeforeEach
  void setUp() {
    loop = new EventLoop(wire, clock, new LoopAgent() {
      @Override
      public String roleName() {
        return "test";
      }

      @Override
      public void onDatagram(ByteBuffer datagram, InetSocketAddress sender) {}
    }, 250, 0);
    sessions = new SessionTable(10_000, 8, 120_000);
    Pushes pushes = new Pushes(loop, sessions, (ChatStore) null, CONFIG, org.p2pchat.protocol.ServerMetrics.NONE);
    presence = new Presence(loop, sessions, pushes, contacts, PushBus.NONE, CONFIG);
    sessions.observe(presence);
  }

  private void runAll() throws Exception {
    while (loop.runOnce(0) > 0) {
      // evaluations queue their answers as loop tasks: run until none is left
    }
  }

  private static InetSocketAddress address(int n) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000 + n);
  }

  @Test
  void aFloodOfOtherNodesEventsForDistinctUsersIsRememberedUpToTheBound() throws Exception {
    for (int i = 0; i < Presence.MAX_USERS + 5_000; i++) {
      presence.remoteChanged(UserName.of("user" + i), i % 2 == 0, 1000 + i);
      if (i % 1000 == 0) {
        runAll();
      }
    }
    runAll();
    assertThat(presence.size()).isEqualTo(Presence.MAX_USERS);
  }

  @Test
  void oneChangeIsPushedToAtMostTheBoundOfSessionsWhateverTheContactsHold() throws Exception {
    int port = 0;
    for (int c = 0; c < 256; c++) {
      UserName contact = UserName.of("contact" + c);
      alicesContacts.add(new ContactStore.StoredContact(contact, true));
      for (int d = 0; d < 8; d++) {
        sessions.open(contact, address(port++), clock.millis());
      }
    }
    runAll();
    wire.take();

    sessions.open(ALICE, address(port), clock.millis());
    runAll();

    long presencePushes = wire.take().stream().filter(s -> (s.bytes()[3] & 0xff) == 0x88).count();
    assertThat(presencePushes).isEqualTo(Presence.MAX_SESSIONS_PER_CHANGE);
  }
}
