package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The answer cache replays what it holds, forgets what expired or was evicted, and keeps its bounds. */
class AnswerCacheTest {
  private static final int TOKEN = AnswerCache.TOKEN_SCOPE;
  private static final int ADDRESS = AnswerCache.ADDRESS_SCOPE;
  private static final InetSocketAddress ALICE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);

  private static ByteBuffer answer(int length) {
    return ByteBuffer.wrap(new byte[length]);
  }

  @Test
  void aRequestIsPendingUntilItsAnswerIsRecordedThenTheAnswerIsReplayed() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 0)).isNull();
    cache.putPending(TOKEN, 1, 2, null, 7, 0);
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 10).answer).isSameAs(AnswerCache.PENDING);
    ByteBuffer a = ByteBuffer.wrap(new byte[] {1, 2, 3});
    cache.putAnswer(TOKEN, 1, 2, null, 7, a, false, 20);
    AnswerCache.Entry e = cache.get(TOKEN, 1, 2, null, 7, 30);
    assertThat(e.answer).containsExactly(1, 2, 3);
    assertThat(e.unbounded).isFalse();
    assertThat(a.position()).as("the cache copies without moving the buffer").isZero();
    assertThat(cache.bytes()).isEqualTo(3);
  }

  @Test
  void aTokenScopeNeverMatchesAnAddressScopeOfTheSameNumbers() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    long hi = ALICE.getAddress().hashCode();
    long lo = ALICE.getPort();
    cache.putAnswer(ADDRESS, hi, lo, ALICE, 7, answer(34), false, 0);
    assertThat(cache.get(TOKEN, hi, lo, null, 7, 1)).isNull();
    assertThat(cache.get(ADDRESS, hi, lo, ALICE, 7, 1)).isNotNull();
  }

  @Test
  void anAddressScopeMatchesOnlyTheSameAddressAndPort() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    InetSocketAddress otherPort = new InetSocketAddress(ALICE.getAddress(), 40002);
    cache.putAnswer(ADDRESS, 5, 40001, ALICE, 7, answer(20), false, 0);
    // Same numbers (a hash collision), another address: no match.
    assertThat(cache.get(ADDRESS, 5, 40001, otherPort, 7, 1)).isNull();
    assertThat(cache.get(ADDRESS, 5, 40001, ALICE, 7, 1)).isNotNull();
  }

  @Test
  void entriesOlderThanTheTtlAreForgotten() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    cache.putAnswer(TOKEN, 1, 2, null, 7, answer(20), false, 0);
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 60_000)).isNotNull();
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 60_001)).isNull();
    assertThat(cache.size()).isZero();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void theOldestGoFirstWhenTheEntryBoundIsReached() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    for (int id = 1; id <= 20; id++) {
      cache.putAnswer(TOKEN, 1, 2, null, id, answer(20), false, id);
    }
    assertThat(cache.size()).isEqualTo(16);
    for (int id = 1; id <= 4; id++) {
      assertThat(cache.get(TOKEN, 1, 2, null, id, 30)).as("request %d", id).isNull();
    }
    for (int id = 5; id <= 20; id++) {
      assertThat(cache.get(TOKEN, 1, 2, null, id, 30)).as("request %d", id).isNotNull();
    }
  }

  @Test
  void theOldestGoFirstWhenTheByteBoundIsReached() {
    AnswerCache cache = new AnswerCache(1000, 1000, 60_000);
    for (int id = 1; id <= 10; id++) {
      cache.putAnswer(TOKEN, 1, 2, null, id, answer(300), false, id);
    }
    assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(TOKEN, 1, 2, null, 10, 20)).isNotNull();
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 20)).isNull();
  }

  @Test
  void aRemovedRequestIsWorkedOnAfresh() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    cache.putPending(TOKEN, 1, 2, null, 7, 0);
    cache.remove(TOKEN, 1, 2, null, 7);
    assertThat(cache.get(TOKEN, 1, 2, null, 7, 1)).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void anAnswerForARequestEvictedWhileInProgressIsStillRecorded() {
    AnswerCache cache = new AnswerCache(16, 1 << 20, 60_000);
    cache.putPending(TOKEN, 1, 2, null, 1, 0);
    for (int id = 2; id <= 17; id++) {
      cache.putPending(TOKEN, 1, 2, null, id, 0);
    }
    assertThat(cache.get(TOKEN, 1, 2, null, 1, 1)).isNull();
    cache.putAnswer(TOKEN, 1, 2, null, 1, answer(20), true, 2);
    assertThat(cache.get(TOKEN, 1, 2, null, 1, 3).unbounded).isTrue();
    assertThat(cache.size()).isEqualTo(16);
  }

  @Test
  void manyInsertionsAndRemovalsAgreeWithAPlainMap() {
    AnswerCache cache = new AnswerCache(1 << 20, 1L << 40, Long.MAX_VALUE / 4);
    Map<Long, Integer> model = new HashMap<>();
    Random random = new Random(12);
    for (int i = 0; i < 200_000; i++) {
      long id = random.nextInt(5000);
      long lo = id % 7; // several scopes share ids, some collide in the table
      switch (random.nextInt(3)) {
        case 0 -> {
          int length = 1 + random.nextInt(40);
          cache.putAnswer(TOKEN, 9, lo, null, id, answer(length), false, i);
          model.put(id, length);
        }
        case 1 -> {
          cache.remove(TOKEN, 9, lo, null, id);
          model.remove(id);
        }
        default -> {
          AnswerCache.Entry e = cache.get(TOKEN, 9, lo, null, id, i);
          Integer expected = model.get(id);
          if (expected == null) {
            assertThat(e).isNull();
          } else {
            assertThat(e.answer).hasSize(expected);
          }
        }
      }
    }
    assertThat(cache.size()).isEqualTo(model.size());
    assertThat(cache.bytes()).isEqualTo(model.values().stream().mapToLong(Integer::longValue).sum());
  }
}
