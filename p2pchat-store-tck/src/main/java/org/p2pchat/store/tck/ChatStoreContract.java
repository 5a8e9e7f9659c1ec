package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.HistoryQuery.Direction;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@link ChatStore} contract as tests. A store proves it by extending this class (or
 * {@link PersistentChatStoreContract}, for a store that keeps its data across close and reopen)
 * in its own test sources and implementing {@link #openStore()}.
 *
 * <p>Each test runs on a fresh, empty store that the kit closes afterwards. Timestamps in the
 * tests have millisecond precision, the precision the contract promises.
 */
public abstract class ChatStoreContract {
  /** A fixed base time, so tests do not depend on the clock. */
  protected static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");

  // Users of the tests; only those a test creates exist in its store.
  protected static final UserName ALICE = UserName.of("alice");
  protected static final UserName BOB = UserName.of("bob");
  protected static final UserName CAROL = UserName.of("carol");
  protected static final UserName DAVE = UserName.of("dave");
  protected static final UserName NOBODY = UserName.of("nobody");

  /** The store under test, opened before each test and closed after it. */
  protected ChatStore store;

  private long clock;

  /**
   * Opens a fresh, empty store. Called once before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- users

  @Test
  public void createdUserIsFoundByName() {
    StoredUser alice = StoredUser.of(ALICE, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", T0);
    await(store.createUser(alice));

    assertThat(await(store.findUser(ALICE))).contains(alice);
  }

  @Test
  public void unknownUserIsNotFound() {
    assertThat(await(store.findUser(NOBODY))).isEmpty();
  }

  @Test
  public void creatingAnExistingNameFailsWithNameTakenAndKeepsTheFirstUser() {
    StoredUser first = StoredUser.of(ALICE, "hash-1", T0);
    await(store.createUser(first));

    awaitFailure(store.createUser(StoredUser.of(ALICE, "hash-2", T0.plusSeconds(1))), ErrorCode.NAME_TAKEN);
    assertThat(await(store.findUser(ALICE))).contains(first);
  }

  @Test
  public void namesDifferingOnlyInLetterCaseAreOneUser() {
    await(store.createUser(StoredUser.of(UserName.of("Alice"), "hash", T0)));

    awaitFailure(store.createUser(StoredUser.of(UserName.of("ALICE"), "other", T0)), ErrorCode.NAME_TAKEN);
    Optional<StoredUser> found = await(store.findUser(UserName.of("aLiCe")));
    assertThat(found).isPresent();
    assertThat(found.get().name().value()).isEqualTo("alice");
  }

  @Test
  public void concurrentCreatesOfOneNameLetExactlyOneWin() {
    List<CompletableFuture<Void>> attempts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      attempts.add(store.createUser(StoredUser.of(UserName.of("Zed"), "hash-" + i, T0)));
    }
    int won = -1;
    for (int i = 0; i < attempts.size(); i++) {
      CompletableFuture<Void> attempt = attempts.get(i);
      if (succeeds(attempt)) {
        assertThat(won).as("only one create may succeed").isEqualTo(-1);
        won = i;
      } else {
        awaitFailure(attempt, ErrorCode.NAME_TAKEN);
      }
    }
    assertThat(won).as("one create must succeed").isNotEqualTo(-1);
    assertThat(await(store.findUser(UserName.of("zed"))).map(StoredUser::passwordHash)).contains("hash-" + won);
  }

  @Test
  public void updatingThePasswordHashReplacesItAndKeepsTheCreationTime() {
    await(store.createUser(StoredUser.of(ALICE, "old-hash", T0)));

    assertThat(await(store.updatePasswordHash(UserName.of("ALICE"), "new-hash"))).isTrue();
    assertThat(await(store.findUser(ALICE))).contains(StoredUser.of(ALICE, "new-hash", T0));
  }

  @Test
  public void updatingThePasswordHashOfAnUnknownUserReturnsFalseAndCreatesNobody() {
    assertThat(await(store.updatePasswordHash(NOBODY, "hash"))).isFalse();
    assertThat(await(store.findUser(NOBODY))).isEmpty();
  }

  @Test
  public void creationTimeKeepsMillisecondPrecision() {
    Instant created = Instant.parse("2031-07-04T01:02:03.987Z");
    await(store.createUser(StoredUser.of(ALICE, "hash", created)));

    assertThat(await(store.findUser(ALICE)).map(StoredUser::createdAt)).contains(created);
  }

  @Test
  public void timesAreKeptToTheMillisecondExactly() {
    Instant precise = Instant.parse("2031-07-04T01:02:03.987654321Z");
    Instant millis = Instant.parse("2031-07-04T01:02:03.987Z");
    await(store.createUser(StoredUser.of(ALICE, "hash", precise)));
    users(BOB);

    ChatMessage stored = await(store.append(List.of(NewMessage.of(ALICE, BOB, "hi", precise)))).get(0);

    assertThat(await(store.findUser(ALICE)).map(StoredUser::createdAt)).contains(millis);
    assertThat(stored.sentAt()).isEqualTo(millis);
    assertThat(history(BOB, HistoryQuery.latest()).messages()).containsExactly(stored);
  }

  // ---------------------------------------------------------------- append

  @Test
  public void appendStoresMessagesWithIncreasingIdsInListOrder() {
    users(ALICE, BOB);
    List<NewMessage> batch = List.of(message(ALICE, BOB, "one"), message(BOB, ALICE, "two"),
        message(ALICE, BOB, "three"));

    List<ChatMessage> stored = await(store.append(batch));

    assertThat(stored).hasSize(3);
    for (int i = 0; i < batch.size(); i++) {
      NewMessage sent = batch.get(i);
      ChatMessage m = stored.get(i);
      assertThat(m.sender()).isEqualTo(sent.sender());
      assertThat(m.recipient()).isEqualTo(sent.recipient());
      assertThat(m.body()).isEqualTo(sent.body());
      assertThat(m.sentAt()).isEqualTo(sent.sentAt());
      assertThat(m.state()).isEqualTo(DeliveryState.STORED);
    }
    assertThat(stored).extracting(ChatMessage::id).isSorted().doesNotHaveDuplicates();
  }

  @Test
  public void idsIncreaseAcrossAppends() {
    users(ALICE, BOB);
    long last = 0;
    for (int i = 0; i < 5; i++) {
      List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "m" + i), message(BOB, ALICE, "r" + i))));
      assertThat(stored.get(0).id()).isGreaterThan(last);
      assertThat(stored.get(1).id()).isGreaterThan(stored.get(0).id());
      last = stored.get(1).id();
    }
  }

  @Test
  public void appendingAnEmptyListStoresNothing() {
    assertThat(await(store.append(List.of()))).isEmpty();
  }

  @Test
  public void aBatchWithOneUnknownRecipientStoresNone() {
    users(ALICE, BOB);

    awaitFailure(store.append(List.of(message(ALICE, BOB, "fine"), message(ALICE, NOBODY, "lost"),
        message(BOB, ALICE, "fine too"))), ErrorCode.UNKNOWN_RECIPIENT);

    assertThat(history(ALICE, HistoryQuery.latest()).messages()).isEmpty();
    assertThat(history(BOB, HistoryQuery.latest()).messages()).isEmpty();
  }

  @Test
  public void aMessageFromAnUnknownSenderIsRefusedWithUnknownRecipient() {
    users(BOB);

    awaitFailure(store.append(List.of(message(NOBODY, BOB, "hello"))), ErrorCode.UNKNOWN_RECIPIENT);
    assertThat(history(BOB, HistoryQuery.latest()).messages()).isEmpty();
  }

  @Test
  public void appendedMessagesReadBackExactlyAsAppendReturnedThem() {
    users(ALICE, BOB);
    String longest = "é".repeat(ProtocolLimits.MAX_BODY_BYTES / 2);
    List<ChatMessage> stored = await(store.append(List.of(
        message(ALICE, BOB, "héllo 👋 世界"), message(BOB, ALICE, longest), message(ALICE, BOB, "'; DROP TABLE messages; --"))));

    assertThat(history(ALICE, HistoryQuery.latest()).messages()).containsExactlyElementsOf(stored);
  }

  @Test
  public void bodiesUpTo64KiBAreStoredAndReadBackWhole() {
    // docs/protocol.md section 23: a long message is stored as one message.
    users(ALICE, BOB);
    String longest = "é".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES / 2);
    String justOver = "x".repeat(ProtocolLimits.MAX_BODY_BYTES + 1);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, longest), message(BOB, ALICE, justOver))));
    assertThat(history(ALICE, HistoryQuery.latest()).messages()).containsExactlyElementsOf(stored);
    assertThat(stored.get(0).body()).isEqualTo(longest);
  }

  @Test
  public void oneRefusedWriteDoesNotFailTheWritesSubmittedWithIt() {
    users(ALICE, BOB);
    // Submitted without waiting, so a batching store is likely to run them in one transaction.
    CompletableFuture<Void> carol = store.createUser(StoredUser.of(CAROL, "hash", T0));
    CompletableFuture<Void> duplicate = store.createUser(StoredUser.of(ALICE, "hash", T0));
    CompletableFuture<List<ChatMessage>> toNobody = store.append(List.of(message(ALICE, NOBODY, "lost")));
    CompletableFuture<List<ChatMessage>> toBob = store.append(List.of(message(ALICE, BOB, "kept")));
    CompletableFuture<List<ChatMessage>> fromCarol = store.append(List.of(message(CAROL, ALICE, "also kept")));

    await(carol);
    awaitFailure(duplicate, ErrorCode.NAME_TAKEN);
    awaitFailure(toNobody, ErrorCode.UNKNOWN_RECIPIENT);
    ChatMessage kept = await(toBob).get(0);
    ChatMessage alsoKept = await(fromCarol).get(0);
    assertThat(history(ALICE, HistoryQuery.latest()).messages()).containsExactly(kept, alsoKept);
  }

  @Test
  public void manyConcurrentWritersLoseNothing() throws Exception {
    users(ALICE, BOB);
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<CompletableFuture<List<ChatMessage>>>>> submitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        submitted.add(pool.submit(() -> {
          start.await();
          List<CompletableFuture<List<ChatMessage>>> futures = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            futures.add(store.append(List.of(message(ALICE, BOB, "t" + thread + "-" + i))));
          }
          return futures;
        }));
      }
      start.countDown();
      Map<Long, String> bodiesById = new LinkedHashMap<>();
      for (Future<List<CompletableFuture<List<ChatMessage>>>> s : submitted) {
        for (CompletableFuture<List<ChatMessage>> f : s.get(StoreAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          ChatMessage m = await(f).get(0);
          assertThat(bodiesById.put(m.id(), m.body())).as("id %d assigned twice", m.id()).isNull();
        }
      }
      assertThat(bodiesById).hasSize(threads * perThread);

      List<ChatMessage> all = pageAll(BOB, HistoryQuery.builder().direction(Direction.AFTER).limit(HistoryQuery.MAX_LIMIT).build());
      Map<Long, String> inHistory = all.stream()
          .collect(Collectors.toMap(ChatMessage::id, ChatMessage::body, (a, b) -> a, LinkedHashMap::new));
      assertThat(inHistory).containsExactlyInAnyOrderEntriesOf(bodiesById);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- history

  @Test
  public void historyOfAReaderWithoutMessagesIsOneEmptyLastPage() {
    users(ALICE, BOB);
    await(store.append(List.of(message(BOB, BOB, "note to self"))));

    HistoryPage page = history(ALICE, HistoryQuery.latest());
    assertThat(page.messages()).isEmpty();
    assertThat(page.nextCursor()).isEmpty();
    assertThat(history(NOBODY, HistoryQuery.latest()).messages()).isEmpty();
  }

  @Test
  public void latestHistoryIsTheNewestPageInIncreasingOrderWithACursorToOlderOnes() {
    users(ALICE, BOB);
    List<ChatMessage> stored = new ArrayList<>();
    for (int i = 0; i < HistoryQuery.DEFAULT_LIMIT + 5; i++) {
      stored.addAll(await(store.append(List.of(message(i % 2 == 0 ? ALICE : BOB, i % 2 == 0 ? BOB : ALICE, "m" + i)))));
    }

    HistoryPage newest = history(ALICE, HistoryQuery.latest());
    assertThat(newest.messages()).containsExactlyElementsOf(stored.subList(5, stored.size()));
    assertThat(newest.nextCursor()).hasValue(stored.get(5).id());

    HistoryPage older = history(ALICE, HistoryQuery.builder().cursor(newest.nextCursor().getAsLong()).build());
    assertThat(older.messages()).containsExactlyElementsOf(stored.subList(0, 5));
    assertThat(older.nextCursor()).isEmpty();
  }

  @Test
  public void aFullLastPageHasNoCursor() {
    users(ALICE, BOB);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "1"), message(ALICE, BOB, "2"))));

    HistoryPage page = history(ALICE, HistoryQuery.builder().limit(2).build());
    assertThat(page.messages()).containsExactlyElementsOf(stored);
    assertThat(page.nextCursor()).isEmpty();
    HistoryPage after = history(ALICE, HistoryQuery.builder().direction(Direction.AFTER).limit(2).build());
    assertThat(after.messages()).containsExactlyElementsOf(stored);
    assertThat(after.nextCursor()).isEmpty();
  }

  @Test
  public void pagingFromAnyCursorInEitherDirectionReturnsEveryMatchingMessageOnceInOrder() {
    Map<Long, ChatMessage> model = conversationOfFourUsers();
    List<Long> ids = new ArrayList<>(model.keySet());
    List<Long> cursors = new ArrayList<>(List.of(0L, ids.get(ids.size() - 1) + 1));
    for (int i = 0; i < ids.size(); i += 7) {
      cursors.add(ids.get(i));
    }
    for (UserName reader : List.of(ALICE, BOB)) {
      for (Optional<UserName> peer : List.of(Optional.<UserName>empty(), Optional.of(BOB), Optional.of(ALICE), Optional.of(CAROL))) {
        for (boolean unread : new boolean[] {false, true}) {
          for (Direction direction : Direction.values()) {
            for (int limit : new int[] {1, 3, HistoryQuery.MAX_LIMIT}) {
              checkPaging(model, reader, peer, unread, direction, 0, limit);
            }
            for (long cursor : cursors) {
              checkPaging(model, reader, peer, unread, direction, cursor, 4);
            }
          }
        }
      }
    }
  }

  @Test
  public void aMessageToOneselfAppearsOnceInOnesHistory() {
    users(ALICE, BOB);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, ALICE, "note"), message(ALICE, BOB, "hi"))));

    assertThat(history(ALICE, HistoryQuery.latest()).messages()).containsExactlyElementsOf(stored);
    assertThat(history(ALICE, HistoryQuery.builder().peer(ALICE).build()).messages()).containsExactly(stored.get(0));
    assertThat(history(BOB, HistoryQuery.latest()).messages()).containsExactly(stored.get(1));
  }

  @Test
  public void peerFilterKeepsOnlyTheConversationWithThatPeer() {
    users(ALICE, BOB, CAROL);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "to bob"), message(CAROL, ALICE, "from carol"),
        message(BOB, ALICE, "from bob"), message(BOB, CAROL, "not alice's"))));

    HistoryPage withBob = history(ALICE, HistoryQuery.builder().peer(BOB).build());
    assertThat(withBob.messages()).containsExactly(stored.get(0), stored.get(2));
    assertThat(history(ALICE, HistoryQuery.builder().peer(NOBODY).build()).messages()).isEmpty();
  }

  // ---------------------------------------------------------------- delivery state

  @Test
  public void markDeliveredChangesOnlyMessagesAddressedToTheRecipient() {
    users(ALICE, BOB);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "to bob"), message(BOB, ALICE, "to alice"))));
    ChatMessage toBob = stored.get(0);
    ChatMessage toAlice = stored.get(1);

    List<ChatMessage> changed = await(store.markDelivered(BOB, List.of(toBob.id(), toAlice.id(), toAlice.id() + 1000)));

    assertThat(changed).containsExactly(toBob.withState(DeliveryState.DELIVERED));
    assertThat(history(BOB, HistoryQuery.latest()).messages())
        .containsExactly(toBob.withState(DeliveryState.DELIVERED), toAlice);
  }

  @Test
  public void markDeliveredTwiceChangesNothingTheSecondTime() {
    users(ALICE, BOB);
    ChatMessage m = await(store.append(List.of(message(ALICE, BOB, "hi")))).get(0);

    assertThat(await(store.markDelivered(BOB, List.of(m.id(), m.id())))).containsExactly(m.withState(DeliveryState.DELIVERED));
    assertThat(await(store.markDelivered(BOB, List.of(m.id())))).isEmpty();
  }

  @Test
  public void markReadMovesStoredAndDeliveredMessagesToRead() {
    users(ALICE, BOB);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "1"), message(ALICE, BOB, "2"))));
    await(store.markDelivered(BOB, List.of(stored.get(1).id())));

    List<ChatMessage> changed = await(store.markRead(BOB, List.of(stored.get(0).id(), stored.get(1).id())));

    assertThat(changed).containsExactlyInAnyOrder(stored.get(0).withState(DeliveryState.READ), stored.get(1).withState(DeliveryState.READ));
    assertThat(history(BOB, HistoryQuery.latest()).messages()).extracting(ChatMessage::state)
        .containsExactly(DeliveryState.READ, DeliveryState.READ);
    assertThat(await(store.markRead(BOB, List.of(stored.get(0).id())))).isEmpty();
  }

  @Test
  public void statesNeverMoveBackward() {
    users(ALICE, BOB);
    ChatMessage m = await(store.append(List.of(message(ALICE, BOB, "hi")))).get(0);
    await(store.markRead(BOB, List.of(m.id())));

    assertThat(await(store.markDelivered(BOB, List.of(m.id())))).isEmpty();
    assertThat(history(BOB, HistoryQuery.latest()).messages()).containsExactly(m.withState(DeliveryState.READ));
  }

  @Test
  public void onlyTheRecipientCanMarkAMessage() {
    users(ALICE, BOB);
    ChatMessage m = await(store.append(List.of(message(ALICE, BOB, "hi")))).get(0);

    assertThat(await(store.markDelivered(ALICE, List.of(m.id())))).isEmpty();
    assertThat(await(store.markRead(ALICE, List.of(m.id())))).isEmpty();
    assertThat(await(store.markRead(NOBODY, List.of(m.id())))).isEmpty();
    assertThat(history(BOB, HistoryQuery.latest()).messages()).containsExactly(m);
  }

  @Test
  public void unreadOnlyListsMessagesToTheReaderThatAreNotRead() {
    users(ALICE, BOB);
    List<ChatMessage> stored = await(store.append(List.of(message(ALICE, BOB, "stored"), message(ALICE, BOB, "delivered"),
        message(ALICE, BOB, "read"), message(BOB, ALICE, "sent by bob"))));
    await(store.markDelivered(BOB, List.of(stored.get(1).id())));
    await(store.markRead(BOB, List.of(stored.get(2).id())));

    HistoryPage unread = history(BOB, HistoryQuery.builder().unreadOnly(true).build());

    assertThat(unread.messages()).containsExactly(stored.get(0), stored.get(1).withState(DeliveryState.DELIVERED));
  }

  // ---------------------------------------------------------------- close

  @Test
  public void everyCallFailsWithClosedAfterClose() {
    users(ALICE, BOB);
    store.close();

    awaitFailure(store.createUser(StoredUser.of(CAROL, "hash", T0)), ErrorCode.CLOSED);
    awaitFailure(store.findUser(ALICE), ErrorCode.CLOSED);
    awaitFailure(store.updatePasswordHash(ALICE, "hash"), ErrorCode.CLOSED);
    awaitFailure(store.append(List.of(message(ALICE, BOB, "late"))), ErrorCode.CLOSED);
    awaitFailure(store.append(List.of()), ErrorCode.CLOSED);
    awaitFailure(store.history(ALICE, HistoryQuery.latest()), ErrorCode.CLOSED);
    awaitFailure(store.markDelivered(BOB, List.of(1L)), ErrorCode.CLOSED);
    awaitFailure(store.markRead(BOB, List.of(1L)), ErrorCode.CLOSED);
  }

  @Test
  public void closeIsIdempotent() {
    store.close();
    store.close();
    awaitFailure(store.findUser(ALICE), ErrorCode.CLOSED);
  }

  @Test
  public void closeCompletesEveryWriteAcceptedBeforeIt() {
    users(ALICE, BOB);
    List<CompletableFuture<List<ChatMessage>>> accepted = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      accepted.add(store.append(List.of(message(ALICE, BOB, "m" + i))));
    }

    store.close();

    for (CompletableFuture<List<ChatMessage>> f : accepted) {
      assertThat(f).as("a write accepted before close completes by the time close returns").isDone();
      assertThat(await(f)).hasSize(1);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Creates users of those names. */
  protected final void users(UserName... names) {
    for (UserName name : names) {
      await(store.createUser(StoredUser.of(name, "hash-of-" + name, T0)));
    }
  }

  /** A message with a fresh, increasing timestamp. */
  protected final NewMessage message(UserName from, UserName to, String body) {
    return NewMessage.of(from, to, body, T0.plusMillis(++clock));
  }

  /** One page of history. */
  protected final HistoryPage history(UserName reader, HistoryQuery query) {
    return await(store.history(reader, query));
  }

  /** Every message from the query's cursor on, following next cursors, in increasing id order. */
  protected final List<ChatMessage> pageAll(UserName reader, HistoryQuery first) {
    List<List<ChatMessage>> pages = new ArrayList<>();
    HistoryQuery query = first;
    for (int guard = 0; guard < 100_000; guard++) {
      HistoryPage page = history(reader, query);
      assertThat(page.messages().size()).isLessThanOrEqualTo(query.limit());
      pages.add(page.messages());
      if (page.nextCursor().isEmpty()) {
        break;
      }
      assertThat(page.messages()).as("a page with a next cursor is not empty").isNotEmpty();
      query = HistoryQuery.builder().from(query).cursor(page.nextCursor().getAsLong()).build();
    }
    if (first.direction() == Direction.BEFORE) {
      Collections.reverse(pages);
    }
    return pages.stream().flatMap(List::stream).collect(Collectors.toList());
  }

  /**
   * Four users exchange 60 messages (some to themselves), partly in batches; some of alice's and
   * bob's get delivered or read. Returns the store's content by id.
   */
  private Map<Long, ChatMessage> conversationOfFourUsers() {
    users(ALICE, BOB, CAROL, DAVE);
    List<UserName> people = List.of(ALICE, BOB, CAROL, DAVE);
    Random random = new Random(42);
    Map<Long, ChatMessage> model = new LinkedHashMap<>();
    int sent = 0;
    while (sent < 60) {
      int size = 1 + random.nextInt(4);
      List<NewMessage> batch = new ArrayList<>();
      for (int i = 0; i < size; i++, sent++) {
        batch.add(message(people.get(random.nextInt(4)), people.get(random.nextInt(4)), "message " + sent));
      }
      await(store.append(batch)).forEach(m -> model.put(m.id(), m));
    }
    for (UserName recipient : List.of(ALICE, BOB)) {
      List<Long> mine = model.values().stream().filter(m -> m.recipient().equals(recipient))
          .map(ChatMessage::id).collect(Collectors.toList());
      List<Long> delivered = new ArrayList<>();
      List<Long> read = new ArrayList<>();
      for (int i = 0; i < mine.size(); i++) {
        if (i % 3 == 0) {
          read.add(mine.get(i));
        } else if (i % 3 == 1) {
          delivered.add(mine.get(i));
        }
      }
      await(store.markDelivered(recipient, delivered)).forEach(m -> model.put(m.id(), m));
      await(store.markRead(recipient, read)).forEach(m -> model.put(m.id(), m));
    }
    return model;
  }

  private void checkPaging(Map<Long, ChatMessage> model, UserName reader, Optional<UserName> peer, boolean unread,
      Direction direction, long cursor, int limit) {
    HistoryQuery query = HistoryQuery.builder().peer(peer).unreadOnly(unread).direction(direction)
        .cursor(cursor).limit(limit).build();
    List<ChatMessage> expected = model.values().stream()
        .filter(m -> matches(m, reader, peer, unread))
        .filter(m -> direction == Direction.AFTER ? m.id() > cursor : cursor == 0 || m.id() < cursor)
        .sorted(Comparator.comparingLong(ChatMessage::id))
        .collect(Collectors.toList());

    List<ChatMessage> paged = pageAll(reader, query);

    assertThat(paged).as("paging %s for %s", query, reader).containsExactlyElementsOf(expected);
    HistoryPage firstPage = history(reader, query);
    OptionalLong next = firstPage.nextCursor();
    assertThat(next.isPresent()).as("next cursor of the first page of %s", query).isEqualTo(expected.size() > limit);
  }

  private static boolean matches(ChatMessage m, UserName reader, Optional<UserName> peer, boolean unread) {
    if (!m.sender().equals(reader) && !m.recipient().equals(reader)) {
      return false;
    }
    if (peer.isPresent()) {
      UserName other = m.sender().equals(reader) ? m.recipient() : m.sender();
      if (!other.equals(peer.get())) {
        return false;
      }
    }
    return !unread || (m.recipient().equals(reader) && m.state() != DeliveryState.READ);
  }

  private static boolean succeeds(CompletableFuture<?> future) {
    try {
      future.get(StoreAssertions.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the store", e);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
