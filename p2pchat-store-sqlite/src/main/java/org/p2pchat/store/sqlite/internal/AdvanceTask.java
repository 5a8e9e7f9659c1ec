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
 * one target state in one savepoint, each id one primary-key look-up and one update on
 * statements prepared once, so a burst of delivery acknowledgements shares the batch's commit
 * with the appends instead of costing a savepoint and two freshly prepared statements each.
 */
final class AdvanceTask extends WriteTask<List<ChatMessage>> {
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
    Statements sql = session.statements();
    List<Long> moving = new ArrayList<>();
    for (Map.Entry<Long, Map<Long, AdvanceTask>> e : byRecipient.entrySet()) {
      Map<Long, AdvanceTask> owners = e.getValue();
      // In id order, so each task's result is; a primary-key look-up and update each, on
      // statements prepared once (a list of ids in one statement would be a new SQL text, and
      // a new prepare, for every list length).
      for (Long id : new TreeSet<>(owners.keySet())) {
        ChatMessage m = sql.addressedBelow(id, e.getKey(), to.code());
        if (m != null) {
          moving.add(id);
          owners.get(id).changed.add(m.withState(to));
        }
      }
    }
    if (!moving.isEmpty()) {
      sql.setState(to.code(), moving);
    }
  }
}
