package org.p2pchat.protocol.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryQuery.Direction;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * {@link HistoryReader} against a history that answers pages as section 10 says, each answer
 * held back and given in a random order, as a lossy network would: whatever the density of ids,
 * the direction and the filters, it returns what paging returns, within its window and memory.
 */
class HistoryReaderTest {
  private static final UserName ME = UserName.of("mia");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");

  /** A server's history of {@link #ME}, a page of at most {@code fit}; answers wait in {@link #pending}. */
  private static final class Server implements ChatClient {
    final List<ChatMessage> history = new ArrayList<>();
    final List<Runnable> pending = new ArrayList<>();
    final int fit;
    int requests;
    int mostPending;
    /** The request, counted from 0, whose answer is a TIMEOUT; -1 for none. */
    int failAt = -1;

    Server(int fit) {
      this.fit = fit;
    }

    void add(long id, UserName peer, boolean toMe, boolean read) {
      history.add(ChatMessage.builder().id(id).sender(toMe ? peer : ME).recipient(toMe ? ME : peer).body("m" + id)
          .sentAt(Instant.EPOCH).state(read ? DeliveryState.READ : DeliveryState.DELIVERED).build());
    }

    /** The page section 10 defines. */
    HistoryPage page(HistoryQuery q) {
      boolean after = q.direction() == Direction.AFTER;
      List<ChatMessage> match = new ArrayList<>();
      for (ChatMessage m : history) {
        boolean inRange = after ? m.id() > q.cursor() : q.cursor() == 0 || m.id() < q.cursor();
        boolean peer = q.peer().map(p -> m.sender().equals(p) || m.recipient().equals(p)).orElse(true);
        boolean unread = !q.unreadOnly() || (m.recipient().equals(ME) && m.state() != DeliveryState.READ);
        if (inRange && peer && unread) {
          match.add(m);
        }
      }
      int n = Math.min(Math.min(fit, q.limit()), match.size());
      List<ChatMessage> page = after ? match.subList(0, n) : match.subList(match.size() - n, match.size());
      OptionalLong next = n == match.size() ? OptionalLong.empty()
          : OptionalLong.of(after ? page.get(n - 1).id() : page.get(0).id());
      return HistoryPage.of(List.copyOf(page), next);
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery q) {
      CompletableFuture<HistoryPage> answer = new CompletableFuture<>();
      if (requests++ == failAt) {
        pending.add(() -> answer.completeExceptionally(new ChatException(ErrorCode.TIMEOUT)));
      } else {
        pending.add(() -> answer.complete(page(q)));
      }
      mostPending = Math.max(mostPending, pending.size());
      return answer;
    }

    /** Answers what waits, in a random order, until {@code read} is done. */
    <T> T drive(CompletableFuture<T> read, Random random) {
      while (!read.isDone()) {
        assertThat(pending).as("a request waits while the read is not done").isNotEmpty();
        pending.remove(random.nextInt(pending.size())).run();
      }
      return read.join();
    }

    /** Paging one by one, the reference. */
    List<ChatMessage> paging(HistoryQuery from, int max) {
      List<ChatMessage> all = new ArrayList<>();
      long cursor = from.cursor();
      while (all.size() < max) {
        HistoryPage p = page(HistoryQuery.builder().from(from).cursor(cursor).limit(HistoryQuery.MAX_LIMIT).build());
        if (from.direction() == Direction.AFTER) {
          all.addAll(p.messages());
        } else {
          all.addAll(0, p.messages());
        }
        if (p.nextCursor().isEmpty()) {
          break;
        }
        cursor = p.nextCursor().getAsLong();
      }
      return from.direction() == Direction.AFTER ? all.subList(0, Math.min(max, all.size()))
          : all.subList(Math.max(0, all.size() - max), all.size());
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
      return Optional.of(ME);
    }

    @Override
    public void close() {}
  }

  @Test
  void randomHistoriesQueriesAndAnswerOrdersGiveWhatPagingGives() {
    for (int seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      Server server = new Server(1 + random.nextInt(12));
      long id = 0;
      int count = random.nextInt(4000);
      int gap = 1 + random.nextInt(random.nextBoolean() ? 3 : 200);
      for (int i = 0; i < count; i++) {
        if (random.nextInt(500) == 0) {
          gap = 1 + random.nextInt(random.nextBoolean() ? 3 : 5000); // the density changes along the history
        }
        id += 1 + random.nextInt(gap);
        server.add(id, random.nextBoolean() ? BOB : CAROL, random.nextBoolean(), random.nextInt(3) == 0);
      }
      HistoryQuery.Builder q = HistoryQuery.builder()
          .direction(random.nextBoolean() ? Direction.AFTER : Direction.BEFORE)
          .cursor(random.nextInt(3) == 0 ? 0 : random.nextLong(id + 2))
          .unreadOnly(random.nextInt(4) == 0);
      if (random.nextInt(3) == 0) {
        q.peer(random.nextBoolean() ? BOB : CAROL);
      }
      HistoryQuery from = q.build();
      int max = 1 + random.nextInt(random.nextBoolean() ? 50 : 5000);

      List<ChatMessage> got = server.drive(new HistoryReader(server, from, max).run(), random);

      assertThat(got).as("seed %d: %s, at most %d", seed, from, max).isEqualTo(server.paging(from, max));
      assertThat(server.mostPending).as("seed %d", seed).isLessThanOrEqualTo(HistoryReader.WINDOW + 1);
    }
  }

  @Test
  void aSparseStretchCostsFewRequests() {
    Server server = new Server(9);
    for (long id = 1; id <= 200; id++) {
      server.add(id * 1_000_000, BOB, true, false); // the old: one in a million ids
    }
    for (long id = 1; id <= 90; id++) {
      server.add(300_000_000 + id, BOB, false, false); // the newest, dense
    }
    HistoryQuery newest = HistoryQuery.latest();

    List<ChatMessage> got = server.drive(new HistoryReader(server, newest, 10_000).run(), new Random(7));

    assertThat(got).isEqualTo(server.paging(newest, 10_000)).hasSize(290);
    assertThat(server.requests).as("page after page would take 33").isLessThan(120);
  }

  @Test
  void tenThousandDenseMessagesTakeAboutAsManyRequestsAsPagesAndHoldLittleMore() {
    Server server = new Server(9);
    for (long id = 1; id <= 30_000; id++) {
      server.add(id, id % 2 == 0 ? BOB : CAROL, id % 3 == 0, false);
    }
    Random random = new Random(11);
    HistoryQuery newest = HistoryQuery.latest();

    List<ChatMessage> got = server.drive(new HistoryReader(server, newest, 10_000).run(), random);

    assertThat(got).isEqualTo(server.history.subList(20_000, 30_000));
    int pages = (10_000 + 8) / 9;
    assertThat(server.requests).as("paging takes %d", pages).isLessThan(pages * 11 / 10 + 2 * HistoryReader.WINDOW);
    assertThat(server.mostPending).isLessThanOrEqualTo(HistoryReader.WINDOW + 1);
  }

  @Test
  void anyFailedPageFailsTheWholeReadAndLaterAnswersAskNothingMore() {
    for (int failAt = 0; failAt <= 60; failAt += 4) {
      Server server = new Server(9);
      server.failAt = failAt;
      for (long id = 1; id <= 3000; id++) {
        server.add(id, BOB, false, false);
      }
      Random random = new Random(failAt);
      CompletableFuture<List<ChatMessage>> read = new HistoryReader(server, HistoryQuery.latest(), 3000).run();
      while (!read.isDone()) {
        server.pending.remove(random.nextInt(server.pending.size())).run();
      }
      assertThat(causeOf(read)).as("request %d failed", failAt).isInstanceOfSatisfying(ChatException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
      int asked = server.requests;
      while (!server.pending.isEmpty()) {
        server.pending.remove(0).run();
      }
      assertThat(server.requests).as("nothing asked once failed").isEqualTo(asked);
    }
  }

  private static Throwable causeOf(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
