package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.store.tck.StoreAssertions.await;
import static org.p2pchat.store.tck.StoreAssertions.awaitFailure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.DeviceStore;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.api.store.StoredUser;

/**
 * The {@link DeviceStore} contract as tests: devices added, found, listed, touched and revoked,
 * and appends made at most once per (sender, idempotency key). A store proves it by extending
 * this class in its own test sources and implementing {@link #openStore()}; a persistent store
 * also implements {@link #reopenStore()} (the default says it is not persistent).
 */
public abstract class DeviceStoreContract {
  /** A fixed base time, with millisecond precision. */
  protected static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName NOBODY = UserName.of("nobody");
  private static final String HASH = "a".repeat(64);

  /** The store under test, opened before each test and closed after it. */
  protected ChatStore store;

  /**
   * Opens a fresh, empty store. Called once before each test; the kit closes it.
   *
   * @throws Exception when the store cannot be opened
   */
  protected abstract ChatStore openStore() throws Exception;

  /**
   * Closes nothing and reopens the store's data, for persistent stores; null for stores that
   * keep nothing across a close (then the persistence test checks nothing).
   *
   * @throws Exception when the store cannot be reopened
   */
  protected ChatStore reopenStore() throws Exception {
    return null;
  }

  @BeforeEach
  final void openFreshStore() throws Exception {
    store = openStore();
    await(store.createUser(StoredUser.of(ALICE, "hash", T0)));
    await(store.createUser(StoredUser.of(BOB, "hash", T0)));
  }

  @AfterEach
  final void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private DeviceStore devices() {
    return store.devices();
  }

  @Test
  public void anAddedDeviceIsFoundByIdAndListedForItsUser() {
    StoredDevice phone = await(devices().addDevice(ALICE, "phone", HASH, T0));
    assertThat(phone.id()).isPositive();
    assertThat(phone.user()).isEqualTo(ALICE);
    assertThat(phone.name()).isEqualTo("phone");
    assertThat(phone.secretHash()).isEqualTo(HASH);
    assertThat(phone.createdAt()).isEqualTo(T0);
    assertThat(phone.lastUsedAt()).isEqualTo(T0);

    assertThat(await(devices().findDevice(phone.id()))).contains(phone);
    assertThat(await(devices().devices(ALICE))).containsExactly(phone);
    assertThat(await(devices().devices(BOB))).isEmpty();
    assertThat(await(devices().findDevice(phone.id() + 1000))).isEmpty();
  }

  @Test
  public void deviceIdsIncreaseAndNamesMayBeAnyUtf8() {
    StoredDevice a = await(devices().addDevice(ALICE, "t\u00e9l\u00e9phone \uD83D\uDCF1", HASH, T0));
    StoredDevice b = await(devices().addDevice(BOB, "laptop", HASH, T0));
    StoredDevice c = await(devices().addDevice(ALICE, "laptop", HASH, T0.plusSeconds(1)));
    assertThat(b.id()).isGreaterThan(a.id());
    assertThat(c.id()).isGreaterThan(b.id());
    assertThat(await(devices().devices(ALICE))).containsExactly(a, c);
    assertThat(await(devices().findDevice(a.id())).orElseThrow().name()).isEqualTo("t\u00e9l\u00e9phone \uD83D\uDCF1");
  }

  @Test
  public void aDeviceOfAnUnknownUserIsRefused() {
    awaitFailure(devices().addDevice(NOBODY, "phone", HASH, T0), ErrorCode.UNKNOWN_RECIPIENT);
  }

  @Test
  public void touchingADeviceRecordsItsLastUse() {
    StoredDevice phone = await(devices().addDevice(ALICE, "phone", HASH, T0));
    assertThat(await(devices().touchDevice(phone.id(), T0.plusSeconds(60)))).isTrue();
    StoredDevice touched = await(devices().findDevice(phone.id())).orElseThrow();
    assertThat(touched.lastUsedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(touched.createdAt()).isEqualTo(T0);
    assertThat(await(devices().touchDevice(phone.id() + 1000, T0))).isFalse();
  }

  @Test
  public void revokingOneDeviceLeavesTheOthers() {
    StoredDevice phone = await(devices().addDevice(ALICE, "phone", HASH, T0));
    StoredDevice laptop = await(devices().addDevice(ALICE, "laptop", HASH, T0));
    StoredDevice bobs = await(devices().addDevice(BOB, "phone", HASH, T0));

    assertThat(await(devices().revokeDevices(ALICE, phone.id()))).containsExactly(phone.id());
    assertThat(await(devices().findDevice(phone.id()))).isEmpty();
    assertThat(await(devices().devices(ALICE))).containsExactly(laptop);
    assertThat(await(devices().revokeDevices(ALICE, phone.id()))).isEmpty();
    // another user's device is not this user's to revoke
    assertThat(await(devices().revokeDevices(ALICE, bobs.id()))).isEmpty();
    assertThat(await(devices().findDevice(bobs.id()))).contains(bobs);
  }

  @Test
  public void revokingDeviceZeroRevokesEveryDeviceOfTheUserOnly() {
    StoredDevice phone = await(devices().addDevice(ALICE, "phone", HASH, T0));
    StoredDevice laptop = await(devices().addDevice(ALICE, "laptop", HASH, T0));
    StoredDevice bobs = await(devices().addDevice(BOB, "phone", HASH, T0));

    assertThat(await(devices().revokeDevices(ALICE, 0))).containsExactly(phone.id(), laptop.id());
    assertThat(await(devices().devices(ALICE))).isEmpty();
    assertThat(await(devices().devices(BOB))).containsExactly(bobs);
  }

  @Test
  public void anAppendWithAKeyIsStoredOnceAndAResendReturnsTheFirstMessage() {
    ChatMessage first = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "once", T0), 42));
    assertThat(first.id()).isPositive();
    assertThat(first.state()).isEqualTo(DeliveryState.STORED);
    ChatMessage again = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "once", T0.plusSeconds(5)), 42));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.body()).isEqualTo("once");
    assertThat(again.sentAt()).isEqualTo(T0);

    assertThat(await(store.history(BOB, HistoryQuery.builder().build())).messages())
        .extracting(ChatMessage::id).containsExactly(first.id());
  }

  @Test
  public void aLongBodyOf64KiBIsStoredOnceByItsKeyAndReadBackWhole() {
    // docs/protocol.md section 23: up to 65536 bytes of UTF-8, multi-byte characters included.
    String body = "€".repeat(21_845) + "x"; // 65536 bytes
    ChatMessage first = await(devices().appendOnce(NewMessage.of(ALICE, BOB, body, T0), 64));
    assertThat(first.body()).isEqualTo(body);
    ChatMessage again = await(devices().appendOnce(NewMessage.of(ALICE, BOB, body, T0.plusSeconds(1)), 64));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(await(store.history(BOB, HistoryQuery.builder().build())).messages())
        .singleElement().satisfies(m -> assertThat(m.body()).isEqualTo(body));
  }

  @Test
  public void aResendReturnsTheMessageInItsCurrentState() {
    ChatMessage first = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "read me", T0), 7));
    await(store.markRead(BOB, List.of(first.id())));
    ChatMessage again = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "read me", T0), 7));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.state()).isEqualTo(DeliveryState.READ);
  }

  @Test
  public void keysAreUniquePerSenderNotAcrossSenders() {
    ChatMessage alices = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "from alice", T0), 1));
    ChatMessage bobs = await(devices().appendOnce(NewMessage.of(BOB, ALICE, "from bob", T0), 1));
    ChatMessage other = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "another", T0), 2));
    ChatMessage negative = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "any key", T0), -1));
    assertThat(Set.of(alices.id(), bobs.id(), other.id(), negative.id())).hasSize(4);
    // plain appends carry no key and never collide with keyed ones
    ChatMessage plain = await(store.append(List.of(NewMessage.of(ALICE, BOB, "plain", T0)))).get(0);
    assertThat(plain.id()).isGreaterThan(negative.id());
  }

  @Test
  public void aKeyedAppendToAnUnknownUserFailsAndStoresNothing() {
    awaitFailure(devices().appendOnce(NewMessage.of(ALICE, NOBODY, "lost", T0), 3), ErrorCode.UNKNOWN_RECIPIENT);
    ChatMessage later = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "found", T0), 3));
    assertThat(later.body()).isEqualTo("found");
  }

  @Test
  public void concurrentResendsOfOneKeyStoreOneMessage() {
    List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(devices().appendOnce(NewMessage.of(ALICE, BOB, "racing", T0), 99));
    }
    Set<Long> ids = new HashSet<>();
    for (CompletableFuture<ChatMessage> f : sends) {
      ids.add(await(f).id());
    }
    assertThat(ids).hasSize(1);
    assertThat(await(store.history(BOB, HistoryQuery.builder().build())).messages()).hasSize(1);
  }

  @Test
  public void devicesAndKeysSurviveAReopen() throws Exception {
    StoredDevice phone = await(devices().addDevice(ALICE, "phone", HASH, T0));
    ChatMessage first = await(devices().appendOnce(NewMessage.of(ALICE, BOB, "durable", T0), 5));
    store.close();
    store = reopenStore();
    if (store == null) {
      return; // not a persistent store
    }
    assertThat(await(devices().findDevice(phone.id()))).contains(phone);
    assertThat(await(devices().appendOnce(NewMessage.of(ALICE, BOB, "durable", T0), 5)).id()).isEqualTo(first.id());
  }
}
