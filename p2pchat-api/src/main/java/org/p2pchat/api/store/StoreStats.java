package org.p2pchat.api.store;

import org.immutables.value.Value;

/** A store's sizes ({@link AdminStore#stats()}). */
@Value.Immutable
public abstract class StoreStats {

  StoreStats() {}

  /**
   * Sizes.
   *
   * @param users accounts, deleted ones left out
   * @param messages messages stored
   * @param bytes the store's size on disk in bytes, or -1 when it has none (in memory)
   * @return the sizes
   */
  public static StoreStats of(long users, long messages, long bytes) {
    return ImmutableStoreStats.builder().users(users).messages(messages).bytes(bytes).build();
  }

  /**
   * Sizes, with the rooms' messages.
   *
   * @param users accounts, deleted ones left out
   * @param messages messages between two users stored
   * @param roomMessages room messages stored ({@link RoomStore})
   * @param bytes the store's size on disk in bytes, or -1 when it has none (in memory)
   * @return the sizes
   */
  public static StoreStats of(long users, long messages, long roomMessages, long bytes) {
    return ImmutableStoreStats.builder().users(users).messages(messages).roomMessages(roomMessages).bytes(bytes)
        .build();
  }

  /** {@return room messages stored; 0 for a store that keeps no rooms or does not count them} */
  @Value.Default
  public long roomMessages() {
    return 0;
  }

  /** {@return accounts, deleted ones left out} */
  public abstract long users();

  /** {@return messages stored} */
  public abstract long messages();

  /** {@return the size on disk in bytes; -1 when the store has none} */
  public abstract long bytes();
}
