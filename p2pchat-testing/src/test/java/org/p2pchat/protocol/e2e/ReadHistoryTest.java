package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryQuery.Direction;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.testing.FaultInjectingTransport;
import org.p2pchat.testing.InMemoryChatStore;
import org.p2pchat.testing.InMemoryNetwork;

/**
 * {@link ChatClient#readHistory(HistoryQuery, int)} end to end, over loopback UDP inside the
 * secure channel: whatever the query, it returns exactly what reading page after page returns.
 */
class ReadHistoryTest {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  /** About 100 bytes: nine or so to a page, as issue 17's target assumes. */
  private static final String BODY = "x".repeat(90);

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

  private void startServer(Transport transport) throws Exception {
    ChatServers.Builder b = ChatServers.builder().store(store).config(FAST_HASHING);
    server = transport == null ? b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build()
        : b.transport(transport).build();
    open.add(server);
  }

  private ChatClient user(String user) throws Exception {
    return user(user, null, null);
  }

  private ChatClient user(String user, Transport transport, ClientConfig config) throws Exception {
    ChatClients.Builder b = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(new ChatFixture.Inbox());
    if (transport != null) {
      b.transport(transport);
    }
    if (config != null) {
      b.config(config);
    }
    ChatClient c = b.build();
    open.add(c);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD));
    return c;
  }

  /**
   * Alice's 3,000 messages with bob and carol, both ways, a third of those to her read; erin's
   * 150 spread one in twenty among them (sparse ids); bob and carol's own interleaved.
   */
  private void fill() {
    List<NewMessage> batch = new ArrayList<>();
    List<Long> toAlice = new ArrayList<>();
    int stored = 0;
    for (int i = 0; i < 3000; i++) {
      UserName peer = name(i % 2 == 0 ? "bob" : "carol");
      batch.add(i % 3 == 0 ? NewMessage.of(peer, name("alice"), BODY + i, T0.plusMillis(i))
          : NewMessage.of(name("alice"), peer, BODY + i, T0.plusMillis(i)));
      if (i % 5 == 0) {
        batch.add(NewMessage.of(name("bob"), name("carol"), BODY + "not alice's " + i, T0.plusMillis(i)));
      }
      if (i % 20 == 0) {
        batch.add(NewMessage.of(name("erin"), name("bob"), BODY + "erin's " + i, T0.plusMillis(i)));
      }
      if (batch.size() >= 400 || i == 2999) {
        for (ChatMessage m : await(store.append(batch))) {
          if (m.recipient().equals(name("alice")) && stored++ % 3 == 0) {
            toAlice.add(m.id());
          }
        }
        batch.clear();
      }
    }
    await(store.markRead(name("alice"), toAlice));
  }

  /** What reading page after page returns: the reference, written independently of the SDK. */
  private static List<ChatMessage> pageByPage(ChatClient c, HistoryQuery from, int max) {
    List<List<ChatMessage>> pages = new ArrayList<>();
    int held = 0;
    long cursor = from.cursor();
    while (held < max) {
      HistoryPage page = await(c.history(HistoryQuery.builder().from(from).cursor(cursor)
          .limit(HistoryQuery.MAX_LIMIT).build()));
      pages.add(page.messages());
      held += page.messages().size();
      if (page.nextCursor().isEmpty()) {
        break;
      }
      cursor = page.nextCursor().getAsLong();
    }
    List<ChatMessage> all = new ArrayList<>();
    if (from.direction() == Direction.AFTER) {
      pages.forEach(all::addAll);
      return all.subList(0, Math.min(max, all.size()));
    }
    for (int i = pages.size() - 1; i >= 0; i--) {
      all.addAll(pages.get(i));
    }
    return all.subList(Math.max(0, all.size() - max), all.size());
  }

  private static void assertSameAsPaging(ChatClient c, HistoryQuery from, int max) {
    List<ChatMessage> expected = pageByPage(c, from, max);
    List<ChatMessage> got = await(c.readHistory(from, max));
    assertThat(got).as("%s, at most %d", from, max).hasSize(expected.size()).isEqualTo(expected);
    for (int i = 1; i < got.size(); i++) {
      assertThat(got.get(i).id()).isGreaterThan(got.get(i - 1).id());
    }
  }

  /** As every call of the client, a bad argument fails the future (INVALID_REQUEST), saying which. */
  private static void assertRefused(CompletableFuture<?> call, Class<? extends Throwable> cause, String message) {
    assertThat(call).isCompletedExceptionally();
    assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(org.p2pchat.api.ChatException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(e).hasMessageContaining(message).hasCauseInstanceOf(cause);
    });
  }

  private static HistoryQuery newest() {
    return HistoryQuery.latest();
  }

  /** A server, four users whose history {@link #fill} filled, and alice's client. */
  private ChatClient aliceAmongFourWithAFilledHistory() throws Exception {
    startServer(null);
    ChatClient alice = user("alice");
    user("bob");
    user("carol");
    user("erin");
    fill();
    return alice;
  }

  @Test
  void theNewestOfAllPeersOrOnePeerAreExactlyWhatPagingReturns() throws Exception {
    ChatClient alice = aliceAmongFourWithAFilledHistory();
    for (int max : new int[] {1, 5, 9, 10, 100, 101, 1000, 2999, 3000}) {
      assertSameAsPaging(alice, newest(), max);
    }
    assertThat(await(alice.readHistory(newest(), 3000))).hasSize(3000);
    HistoryQuery bob = HistoryQuery.builder().peer(name("bob")).build();
    for (int max : new int[] {1, 700, 1500}) {
      assertSameAsPaging(alice, bob, max);
    }
    assertThat(await(alice.readHistory(bob, 1500)))
        .allMatch(m -> m.sender().equals(name("bob")) || m.recipient().equals(name("bob")));
  }

  @Test
  void fewerMessagesThanAskedForGivesTheWholeHistory() throws Exception {
    ChatClient alice = aliceAmongFourWithAFilledHistory();
    assertSameAsPaging(alice, newest(), ChatClient.MAX_READ_HISTORY);
    assertThat(await(alice.readHistory(newest(), ChatClient.MAX_READ_HISTORY))).hasSize(3000);
    assertThat(await(alice.readHistory(HistoryQuery.builder().peer(name("nobody")).build(), 10))).isEmpty();
    ChatClient frank = user("frank");
    assertThat(await(frank.readHistory(newest(), 10_000))).as("an empty history").isEmpty();
    await(store.append(List.of(NewMessage.of(name("frank"), name("bob"), "one", T0))));
    assertThat(await(frank.readHistory(newest(), 10_000))).extracting(ChatMessage::body).containsExactly("one");
  }

  @Test
  void unreadOnlyAndSparseIdsAreExactlyWhatPagingReturns() throws Exception {
    startServer(null);
    ChatClient alice = user("alice");
    user("bob");
    user("carol");
    ChatClient erin = user("erin");
    fill();
    HistoryQuery unread = HistoryQuery.builder().unreadOnly(true).build();
    for (int max : new int[] {1, 300, 665, 666, 667, 5000}) {
      assertSameAsPaging(alice, unread, max);
    }
    assertThat(await(alice.readHistory(unread, 5000))).as("two thirds of the 1,000 to alice").hasSize(666)
        .allMatch(m -> m.recipient().equals(name("alice")));
    for (int max : new int[] {1, 9, 10, 80, 149, 150, 151}) {
      assertSameAsPaging(erin, newest(), max);
    }
    assertSameAsPaging(erin, HistoryQuery.builder().direction(Direction.AFTER).build(), 150);
  }

  @Test
  void everyCountAroundTheSpansBoundariesIsExact() throws Exception {
    ChatClient alice = aliceAmongFourWithAFilledHistory();
    List<ChatMessage> all = pageByPage(alice, newest(), 3000);
    int firstPage = await(alice.history(HistoryQuery.builder().limit(HistoryQuery.MAX_LIMIT).build()))
        .messages().size();
    // the first span starts below the first page and holds about 256; read up to each boundary
    for (int k = 1; k <= 4; k++) {
      for (int d = -1; d <= 1; d++) {
        int max = firstPage + k * 256 + d;
        assertThat(await(alice.readHistory(newest(), max))).isEqualTo(all.subList(all.size() - max, all.size()));
      }
    }
    // a history ending exactly at a span's start: from a cursor whose rest is one span's worth
    long cursor = all.get(firstPage + 256).id();
    assertSameAsPaging(alice, HistoryQuery.builder().cursor(cursor).build(), 3000);
    assertSameAsPaging(alice, HistoryQuery.builder().direction(Direction.AFTER).cursor(cursor).build(), 3000);
  }

  @Test
  void afterFromACursorCatchesUpLikePaging() throws Exception {
    ChatClient alice = aliceAmongFourWithAFilledHistory();
    List<ChatMessage> all = pageByPage(alice, newest(), 3000);
    long cursor = all.get(1234).id();
    HistoryQuery catchUp = HistoryQuery.builder().direction(Direction.AFTER).cursor(cursor).build();
    for (int max : new int[] {1, 9, 500, 1765, 1766, 10_000}) {
      assertSameAsPaging(alice, catchUp, max);
    }
    assertThat(await(alice.readHistory(catchUp, 10_000))).isEqualTo(all.subList(1235, 3000));
    assertSameAsPaging(alice, HistoryQuery.builder().direction(Direction.AFTER).build(), 2000);
    assertSameAsPaging(alice, HistoryQuery.builder().direction(Direction.AFTER).peer(name("carol")).cursor(cursor)
        .unreadOnly(true).build(), 10_000);
    assertSameAsPaging(alice, HistoryQuery.builder().cursor(cursor).build(), 1000);
    assertThat(await(alice.readHistory(HistoryQuery.builder().direction(Direction.AFTER)
        .cursor(all.get(2999).id()).build(), 100))).as("nothing after the newest").isEmpty();
  }

  @Test
  void underDatagramLossDuplicationAndReorderingTheResultIsStillExact() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork();
    long[] seed = {20261204};
    java.util.function.Supplier<Transport> lossy = () -> {
      try {
        return new FaultInjectingTransport(network.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
            seed[0]++, 0.20, 0.05, 0.10, 30);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    startServer(lossy.get());
    ClientConfig patient = ClientConfig.builder().initialRetransmitTimeout(Duration.ofMillis(50))
        .minRetransmitTimeout(Duration.ofMillis(20)).maxRetransmitTimeout(Duration.ofMillis(400)).maxAttempts(30)
        .requestDeadline(Duration.ofSeconds(30)).build();
    ChatClient alice = user("alice", lossy.get(), patient);
    for (String other : new String[] {"bob", "carol", "erin"}) {
      user(other, lossy.get(), patient);
    }
    fill();
    // the reference pages one by one through the same loss: a thousand messages keep it short
    assertSameAsPaging(alice, newest(), 1000);
    assertSameAsPaging(alice, HistoryQuery.builder().direction(Direction.AFTER).cursor(1000).build(), 600);
    assertSameAsPaging(alice, HistoryQuery.builder().unreadOnly(true).build(), 300);
  }

  @Test
  void badArgumentsAreRefusedAndAClosedClientFails() throws Exception {
    startServer(null);
    ChatClient alice = user("alice");
    assertRefused(alice.readHistory(newest(), 0), IllegalArgumentException.class, "maxMessages must be 1 to 100000: 0");
    assertRefused(alice.readHistory(newest(), ChatClient.MAX_READ_HISTORY + 1), IllegalArgumentException.class,
        "maxMessages must be 1 to 100000: 100001");
    assertRefused(alice.readHistory(null, 10), NullPointerException.class, "from");
    assertThat(await(alice.readHistory(newest(), ChatClient.MAX_READ_HISTORY))).isEmpty();
    alice.close();
    assertThat(ChatFixture.failureOf(alice.readHistory(newest(), 10))).isEqualTo(ErrorCode.CLOSED);
  }

  @Test
  void closingTheClientDuringAReadFailsIt() throws Exception {
    ChatClient alice = aliceAmongFourWithAFilledHistory();
    CompletableFuture<List<ChatMessage>> read = alice.readHistory(newest(), 3000);
    alice.close();
    assertThat(ChatFixture.failureOf(read)).isIn(ErrorCode.CLOSED, ErrorCode.NOT_LOGGED_IN);
  }

  @Test
  void aFailedPageFailsTheWholeRead() throws Exception {
    startServer(null);
    ChatClient alice = user("alice");
    await(alice.logout());
    assertThat(ChatFixture.failureOf(alice.readHistory(newest(), 10))).isEqualTo(ErrorCode.NOT_LOGGED_IN);
  }

  // --- the default method, on a client that only pages ---

  /** Pages over a list of messages, at most {@code fit} to a page, as a server would. */
  private static class PagingOnly implements ChatClient {
    final List<ChatMessage> history = new ArrayList<>();
    final int fit;
    final AtomicInteger pages = new AtomicInteger();

    PagingOnly(int count, int fit) {
      this.fit = fit;
      for (int i = 1; i <= count; i++) {
        history.add(ChatMessage.builder().id(i * 3L).sender(name(i % 2 == 0 ? "alice" : "bob"))
            .recipient(name(i % 2 == 0 ? "bob" : "alice")).body("m" + i).sentAt(T0).build());
      }
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery q) {
      pages.incrementAndGet();
      List<ChatMessage> match = new ArrayList<>();
      for (ChatMessage m : history) {
        boolean inRange = q.direction() == Direction.AFTER ? m.id() > q.cursor() : q.cursor() == 0 || m.id() < q.cursor();
        if (inRange && q.peer().map(p -> m.sender().equals(p) || m.recipient().equals(p)).orElse(true)) {
          match.add(m);
        }
      }
      int n = Math.min(Math.min(fit, q.limit()), match.size());
      List<ChatMessage> page = q.direction() == Direction.AFTER ? match.subList(0, n)
          : match.subList(match.size() - n, match.size());
      boolean more = n < match.size();
      long next = page.isEmpty() ? 0 : q.direction() == Direction.AFTER ? page.get(n - 1).id() : page.get(0).id();
      return CompletableFuture.completedFuture(HistoryPage.of(List.copyOf(page),
          more ? OptionalLong.of(next) : OptionalLong.empty()));
    }

    @Override
    public CompletableFuture<Void> register(UserName name, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> login(UserName name, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<ChatMessage> send(UserName recipient, String body) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> markRead(Collection<Long> messageIds) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> logout() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<UserName> user() {
      return Optional.of(name("alice"));
    }

    @Override
    public void close() {}
  }

  @Test
  void theDefaultReadsPageAfterPageAndReturnsTheSame() throws Exception {
    PagingOnly client = new PagingOnly(1000, 7);
    List<ChatMessage> all = client.history;
    for (int max : new int[] {1, 7, 8, 500, 1000, 5000}) {
      List<ChatMessage> newest = await(client.readHistory(newest(), max));
      assertThat(newest).isEqualTo(all.subList(Math.max(0, 1000 - max), 1000));
      assertThat(newest).isEqualTo(pageByPage(client, newest(), max));
    }
    HistoryQuery catchUp = HistoryQuery.builder().direction(Direction.AFTER).cursor(all.get(99).id()).build();
    assertThat(await(client.readHistory(catchUp, 50))).isEqualTo(all.subList(100, 150));
    assertThat(await(client.readHistory(catchUp, 5000))).isEqualTo(all.subList(100, 1000));
    HistoryQuery bob = HistoryQuery.builder().peer(name("bob")).build();
    assertThat(await(client.readHistory(bob, 5000))).isEqualTo(all);
    client.pages.set(0);
    await(client.readHistory(newest(), 70));
    assertThat(client.pages).as("page after page, 7 a page").hasValue(10);
    assertRefused(client.readHistory(newest(), 0), IllegalArgumentException.class, "maxMessages must be 1 to 100000: 0");
    assertRefused(client.readHistory(null, 1), NullPointerException.class, "from");
  }

  @Test
  void theDefaultReadsAHundredThousandPagesThatComeBackAlreadyCompleteWithoutRunningOutOfStack() throws Exception {
    // One message a page, each answered on the calling thread: ids 1..100,000, newest first.
    ChatClient onePerPage = new PagingOnly(0, 1) {
      @Override
      public CompletableFuture<HistoryPage> history(HistoryQuery q) {
        long id = q.cursor() == 0 ? ChatClient.MAX_READ_HISTORY : q.cursor() - 1;
        ChatMessage m = ChatMessage.builder().id(id).sender(name("alice")).recipient(name("bob")).body("m")
            .sentAt(T0).build();
        return CompletableFuture.completedFuture(HistoryPage.of(List.of(m),
            id > 1 ? OptionalLong.of(id) : OptionalLong.empty()));
      }
    };
    List<ChatMessage> all = await(onePerPage.readHistory(newest(), ChatClient.MAX_READ_HISTORY));
    assertThat(all).hasSize(ChatClient.MAX_READ_HISTORY);
    assertThat(all.get(0).id()).isEqualTo(1);
    assertThat(all.get(all.size() - 1).id()).isEqualTo(ChatClient.MAX_READ_HISTORY);
  }

  @Test
  void theDefaultFailsWithThePagesFailure() throws Exception {
    ChatClient failing = new PagingOnly(10, 7) {
      @Override
      public CompletableFuture<HistoryPage> history(HistoryQuery q) {
        return q.cursor() == 0 ? super.history(q)
            : CompletableFuture.failedFuture(new org.p2pchat.api.ChatException(ErrorCode.TIMEOUT));
      }
    };
    assertThat(ChatFixture.failureOf(failing.readHistory(newest(), 10))).isEqualTo(ErrorCode.TIMEOUT);
  }
}
