package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The session map keyed by a token's two longs behaves as a map of tokens would. */
class TokenMapTest {

  @Test
  void findsWhatWasPutAndForgetsWhatWasRemoved() {
    TokenMap<String> map = new TokenMap<>();
    assertThat(map.put(1, 2, "a")).isNull();
    assertThat(map.put(0, 0, "zero")).isNull();
    assertThat(map.get(1, 2)).isEqualTo("a");
    assertThat(map.get(2, 1)).isNull();
    assertThat(map.get(0, 0)).isEqualTo("zero");
    assertThat(map.put(1, 2, "b")).isEqualTo("a");
    assertThat(map.size()).isEqualTo(2);
    assertThat(map.remove(1, 2)).isEqualTo("b");
    assertThat(map.remove(1, 2)).isNull();
    assertThat(map.containsKey(1, 2)).isFalse();
    assertThat(map.values()).containsExactly("zero");
  }

  @Test
  void tokensSharingAHomeSlotStayFindableAcrossRemovals() {
    // (x, 0) and (0, x) hash alike: one long probe run, then holes punched into it.
    TokenMap<Long> map = new TokenMap<>();
    for (long x = 1; x <= 6; x++) {
      map.put(x, 0, x);
      map.put(0, x, -x);
      map.put(x ^ 7, 7, 100 + x); // (x ^ 7) ^ 7 == x: the same home slot again
    }
    map.remove(3, 0);
    map.remove(0, 1);
    map.remove(5 ^ 7, 7);
    for (long x = 1; x <= 6; x++) {
      assertThat(map.get(x, 0)).isEqualTo(x == 3 ? null : x);
      assertThat(map.get(0, x)).isEqualTo(x == 1 ? null : -x);
      assertThat(map.get(x ^ 7, 7)).isEqualTo(x == 5 ? null : 100 + x);
    }
    assertThat(map.size()).isEqualTo(15);
  }

  @Test
  void agreesWithAHashMapOverManyRandomOperations() {
    Random random = new Random(42);
    TokenMap<Integer> map = new TokenMap<>();
    Map<String, Integer> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      long hi = random.nextInt(64); // few distinct keys: many collisions, hits and removals
      long lo = random.nextInt(64) * 0x1_0000_0001L;
      String key = hi + "/" + lo;
      switch (random.nextInt(3)) {
        case 0 -> assertThat(map.put(hi, lo, step)).isEqualTo(model.put(key, step));
        case 1 -> assertThat(map.remove(hi, lo)).isEqualTo(model.remove(key));
        default -> assertThat(map.get(hi, lo)).isEqualTo(model.get(key));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    assertThat(map.values()).containsExactlyInAnyOrderElementsOf(model.values());
  }

  @Test
  void refusesNullValues() {
    assertThatThrownBy(() -> new TokenMap<String>().put(1, 1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
