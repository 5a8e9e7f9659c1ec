package org.p2pchat.protocol.codec.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Every frame layout, read off the table of frame types: one flyweight per row that has a
 * layout of its own, then one per OK layout. Tests that must reach every decoder walk this
 * instead of a hand-written list, so a new frame type is covered without editing them.
 */
final class Layouts {
  private Layouts() {}

  /** The mappings of the table: each row's (OK has none), then each OK layout's. */
  static List<FrameMapping<?, ?>> mappings() {
    List<FrameMapping<?, ?>> all = new ArrayList<>();
    for (FrameType t : FrameType.values()) {
      if (t.mapping() != null) {
        all.add(t.mapping());
      }
    }
    for (FrameType.Answer a : FrameType.Answer.values()) {
      if (a.mapping() != null) {
        all.add(a.mapping());
      }
    }
    return all;
  }

  /** A new, reusable flyweight for every layout of {@link #mappings()}, in that order. */
  static List<HeaderFlyweight<?>> newFlyweights() {
    List<HeaderFlyweight<?>> all = new ArrayList<>();
    for (FrameMapping<?, ?> m : mappings()) {
      all.add(m.newFlyweight());
    }
    return all;
  }
}
