package org.p2pchat.store.sqlite.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;

/**
 * Moves messages addressed to one recipient forward to a state (delivered or read). The writer
 * runs consecutive advances of a batch together through {@link #advanceTogether}: all tasks of
 * one target state and one recipient become one SELECT and one UPDATE per chunk of ids, inside
 * one savepoint, so a burst of delivery acknowledgements costs two statements and shares the
 * batch's commit with the appends, instead of a savepoint and two statements each.
 */
final class AdvanceTask extends WriteTask<List<ChatMessage>> {
  /** Ids per statement, well below SQLite's bound-parameter limit. */
  static final int IDS_PER_STATEMENT = 500;

  private final UserName recipient;
  /** Sorted and distinct, so the result is in id order and each message is reported once. */
  private final TreeSet<Long> wanted;
  private final DeliveryState to;
  /** The messages this task moved, in id order; filled by {@link #advanceTogether}. */
  private List<ChatMessage> changed;

  AdvanceTask(UserName recipient, Collection<Long> ids, DeliveryState to) {
    this.recipient = recipient;
    this.to = to;
    this.wanted = new TreeSet<>();
    for (Long id : ids) {
      if (id != null && id > 0) {
        wanted.add(id);
      }
    }
  }

  DeliveryState to() {
    return to;
  }

  @Override
  List<ChatMessage> apply(WriterSession session) {
    advance(session, List.of(this));
    return changed;
  }

  /**
   * Runs advances of one target state together, in one savepoint; if that fails, each task alone
   * in its own, so that one bad task cannot fail the others. Equivalent to running them one
   * after another: a message named by two tasks is reported by the first, as it would be.
   */
  static void advanceTogether(WriterSession session, List<AdvanceTask> tasks) {
    if (tasks.size() == 1) {
      session.runInSavepoint(tasks.get(0));
      return;
    }
    if (session.tryInSavepoint(() -> advance(session, tasks))) {
      for (AdvanceTask task : tasks) {
        task.succeed(task.changed);
      }
    } else {
      for (AdvanceTask task : tasks) {
        session.runInSavepoint(task);
      }
    }
  }

  /** The work of {@code tasks}, all of one target state, without a savepoint of its own. */
  private static void advance(WriterSession session, List<AdvanceTask> tasks) {
    DeliveryState to = tasks.get(0).to;
    // Per recipient, each id with the first task that names it.
    Map<Long, Map<Long, AdvanceTask>> byRecipient = new HashMap<>();
    for (AdvanceTask task : tasks) {
      if (task.to != to) {
        throw new IllegalArgumentException("advances of different states run apart");
      }
      task.changed = new ArrayList<>();
      long recipientId = session.userId(task.recipient);
      if (recipientId < 0 || task.wanted.isEmpty()) {
        continue;
      }
      Map<Long, AdvanceTask> owners = byRecipient.computeIfAbsent(recipientId, r -> new HashMap<>());
      for (Long id : task.wanted) {
        owners.putIfAbsent(id, task);
      }
    }
    for (Map.Entry<Long, Map<Long, AdvanceTask>> e : byRecipient.entrySet()) {
      Map<Long, AdvanceTask> owners = e.getValue();
      List<Long> all = new ArrayList<>(new TreeSet<>(owners.keySet()));
      for (int from = 0; from < all.size(); from += IDS_PER_STATEMENT) {
        List<Long> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_STATEMENT));
        List<ChatMessage> moving = session.messages().addressedBelow(e.getKey(), to.code(), chunk);
        if (moving.isEmpty()) {
          continue;
        }
        List<Long> movingIds = new ArrayList<>(moving.size());
        for (ChatMessage m : moving) {
          movingIds.add(m.id());
          owners.get(m.id()).changed.add(m.withState(to));
        }
        session.messages().setState(to.code(), movingIds);
      }
    }
  }
}
