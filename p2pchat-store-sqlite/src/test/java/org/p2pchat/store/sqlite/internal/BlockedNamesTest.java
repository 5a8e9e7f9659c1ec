package org.p2pchat.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;

/** What {@link BlockedNames} keeps, and what it refuses to keep. */
class BlockedNamesTest {
  private static final UserName ALICE = UserName.of("alice");
  private static final UserName BOB = UserName.of("bob");
  private static final UserName CAROL = UserName.of("carol");

  private final BlockedNames names = new BlockedNames(2);

  @Test
  void aListReadBeforeAChangeIsNotKept() {
    long before = names.changes();
    names.changed(ALICE); // alice blocked bob while her old list, without bob, was being read
    names.loaded(ALICE, List.of(), before);
    assertThat(names.surelyNotBlocked(ALICE, BOB)).as("unknown, so the database is asked").isFalse();

    names.loaded(ALICE, List.of(BOB), names.changes());
    assertThat(names.surelyNotBlocked(ALICE, BOB)).isFalse();
    assertThat(names.surelyNotBlocked(ALICE, CAROL)).isTrue();
    assertThat(names.surelyNotBlocked(ALICE, UserName.of("Carol"))).isTrue();
    assertThat(names.surelyNotBlocked(ALICE, UserName.of("BOB"))).isFalse();

    names.changed(ALICE);
    assertThat(names.surelyNotBlocked(ALICE, CAROL)).as("forgotten").isFalse();
  }

  @Test
  void itStaysWithinItsBounds() {
    names.loaded(ALICE, List.of(), names.changes());
    names.loaded(BOB, List.of(), names.changes());
    names.loaded(CAROL, List.of(), names.changes()); // a third user, over the bound of two
    assertThat(names.surelyNotBlocked(CAROL, ALICE)).isFalse();

    BlockedNames roomy = new BlockedNames(10);
    List<UserName> many = java.util.stream.IntStream.rangeClosed(0, BlockedNames.MAX_NAMES_PER_USER)
        .mapToObj(i -> UserName.of("user" + i)).toList();
    roomy.loaded(ALICE, many, roomy.changes()); // one name more than a remembered list holds
    assertThat(roomy.surelyNotBlocked(ALICE, CAROL)).isFalse();
  }
}
