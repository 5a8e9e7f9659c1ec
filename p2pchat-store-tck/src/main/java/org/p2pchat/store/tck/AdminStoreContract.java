package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.AdminStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoreStats;
import org.p2pchat.api.store.StoredUser;
import org.p2pchat.api.store.UserAccount;

/**
 * The {@link AdminStore} contract as tests: a store proves its {@link ChatStore#admin()} facet
 * by extending this class in its test sources and implementing {@link #openStore()}. Each test
 * runs on a fresh, empty store that the kit closes afterwards.
 */
public abstract class AdminStoreContract {
  protected static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  protected static final UserName ALICE = UserName.of("alice");
  protected static final UserName BOB = UserName.of("bob");
  protected static final UserName CAROL = UserName.of("carol");
  protected static final UserName NOBODY = UserName.of("nobody");

  /** The store under test. */
  protected ChatStore store;
  /** Its admin facet. */
  protected AdminStore admin;

  /**
   * Opens a fresh, empty store. Called before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened, failing the test
   */
  protected abstract ChatStore openStore() throws Exception;

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    admin = store.admin();
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void users(UserName... names) {
    for (UserName n : names) {
      await(store.createUser(StoredUser.of(n, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", T0)));
    }
  }

  private ChatMessage send(UserName from, UserName to, String body, Instant at) {
    return await(store.append(List.of(NewMessage.of(from, to, body, at)))).get(0);
  }

  private List<String> bodies(UserName reader) {
    return await(store.history(reader, HistoryQuery.builder().limit(100).build())).messages().stream()
        .map(ChatMessage::body).toList();
  }

  @Test
  public void accountsAreListedByNameWithCreationTimeAndNoLoginYet() {
    users(CAROL, ALICE, BOB);

    List<UserAccount> all = await(admin.listUsers("", 100));
    assertThat(all).extracting(a -> a.name().value()).containsExactly("alice", "bob", "carol");
    assertThat(all.get(0)).isEqualTo(UserAccount.of(ALICE, T0, Optional.empty(), false));
  }

  @Test
  public void listingFiltersByPartOfTheNameInAnyCaseAndStopsAtTheLimit() {
    users(ALICE, UserName.of("malice"), BOB, CAROL);

    assertThat(await(admin.listUsers("LIC", 100))).extracting(a -> a.name().value()).containsExactly("alice", "malice");
    assertThat(await(admin.listUsers("", 2))).hasSize(2);
    assertThat(await(admin.listUsers("zzz", 10))).isEmpty();
  }

  @Test
  public void aRecordedLoginIsTheAccountsLastLogin() {
    users(ALICE);
    Instant first = T0.plusSeconds(60);
    Instant second = T0.plusSeconds(120);

    assertThat(await(admin.recordLogin(ALICE, first))).isTrue();
    assertThat(await(admin.recordLogin(ALICE, second))).isTrue();
    assertThat(await(admin.findAccount(UserName.of("ALICE")))).map(UserAccount::lastLoginAt).contains(Optional.of(second));
    assertThat(await(admin.recordLogin(NOBODY, second))).isFalse();
    assertThat(await(admin.findAccount(NOBODY))).isEmpty();
  }

  @Test
  public void aDisabledAccountIsFoundDisabledUntilEnabledAgain() {
    users(ALICE, BOB);

    assertThat(await(admin.setDisabled(ALICE, true))).isTrue();
    assertThat(await(store.findUser(ALICE))).map(StoredUser::disabled).contains(true);
    assertThat(await(store.findUser(BOB))).map(StoredUser::disabled).contains(false);
    assertThat(await(admin.findAccount(ALICE))).map(UserAccount::disabled).contains(true);

    assertThat(await(admin.setDisabled(ALICE, false))).isTrue();
    assertThat(await(store.findUser(ALICE))).map(StoredUser::disabled).contains(false);
    assertThat(await(admin.setDisabled(NOBODY, true))).isFalse();
  }

  @Test
  public void deletingAnAccountDeletesEveryMessageItSentOrReceivedAndKeepsItsNameReserved() {
    users(ALICE, BOB, CAROL);
    send(ALICE, BOB, "a to b", T0);
    send(BOB, ALICE, "b to a", T0);
    send(BOB, CAROL, "b to c", T0);

    assertThat(await(admin.deleteUser(UserName.of("Alice")))).contains(2L);

    assertThat(await(store.findUser(ALICE))).isEmpty();
    assertThat(await(admin.findAccount(ALICE))).isEmpty();
    assertThat(await(admin.listUsers("", 10))).extracting(a -> a.name().value()).containsExactly("bob", "carol");
    assertThat(bodies(BOB)).containsExactly("b to c");
    assertThat(bodies(CAROL)).containsExactly("b to c");
    awaitFailure(store.createUser(StoredUser.of(ALICE, "hash", T0)), ErrorCode.NAME_TAKEN);
    assertThat(await(admin.deleteUser(ALICE))).as("idempotent").isEmpty();
    assertThat(await(admin.setDisabled(ALICE, false))).as("a deleted account cannot be enabled").isFalse();
    assertThat(await(store.findUser(ALICE))).isEmpty();
  }

  @Test
  public void purgingDeletesOnlyMessagesSentBeforeTheCutoffInBatchesOfTheSizeAsked() {
    users(ALICE, BOB);
    List<Long> recent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      send(ALICE, BOB, "old " + i, T0.plusSeconds(i));
    }
    for (int i = 0; i < 3; i++) {
      recent.add(send(BOB, ALICE, "new " + i, T0.plusSeconds(100 + i)).id());
    }
    Instant cutoff = T0.plusSeconds(100);

    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(2);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(2);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isEqualTo(1);
    assertThat(await(admin.purgeMessagesBefore(cutoff, 2))).isZero();

    assertThat(bodies(ALICE)).containsExactly("new 0", "new 1", "new 2");
    assertThat(await(store.history(BOB, HistoryQuery.builder().limit(100).build())).messages())
        .extracting(ChatMessage::id).containsExactlyElementsOf(recent);
  }

  @Test
  public void statsCountAccountsAndMessages() {
    users(ALICE, BOB, CAROL);
    send(ALICE, BOB, "one", T0);
    send(BOB, ALICE, "two", T0);
    await(admin.deleteUser(CAROL));

    StoreStats stats = await(admin.stats());
    assertThat(stats.users()).isEqualTo(2);
    assertThat(stats.messages()).isEqualTo(2);
    assertThat(stats.bytes()).isGreaterThanOrEqualTo(-1);
  }
}
