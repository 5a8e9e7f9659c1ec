package org.p2pchat.store.postgres.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.store.NewMessage;

/**
 * Appends one caller's messages, all or none. The writer runs consecutive appends of a batch
 * together through {@link #appendTogether}: one id allocation and one prepared batch (rewritten
 * by the driver into multi-row inserts) for all their rows, which is what makes group commit
 * cheap per message. The writer has taken the {@link AppendLock} before any of this runs.
 */
final class AppendTask extends WriteTask<List<ChatMessage>> {
  private static final String INSERT =
      "INSERT INTO messages (id, sender_id, recipient_id, body, sent_at) VALUES (?, ?, ?, ?, ?)";

  /**
   * Takes {@code n} consecutive ids in one round trip and returns the last. Consecutive because
   * the append lock is held: nobody else advances the sequence between the nextval and the
   * setval.
   */
  private static final String ALLOCATE = "SELECT setval('message_ids', nextval('message_ids') + ? - 1)";

  private final List<NewMessage> messages;
  /** Sender and recipient row ids of each message, interleaved; set once validated. */
  private long[] userIds;
  /** The messages as stored; set by {@link #insert}. */
  private List<ChatMessage> stored;

  AppendTask(List<NewMessage> messages) {
    this.messages = messages;
  }

  @Override
  List<ChatMessage> apply(WriterSession session) {
    if (messages.isEmpty()) {
      return List.of();
    }
    if (!resolveUsers(session)) {
      throw unknownUser();
    }
    insert(session, List.of(this));
    return stored;
  }

  /**
   * Appends the tasks' messages in one prepared batch inside a savepoint. A task naming an
   * unknown user fails alone, before anything is written. If the batch itself fails, each task
   * is retried alone so that one bad task cannot fail the others (the ids the failed attempt
   * took stay unused: ids increase, they need not be dense).
   */
  static void appendTogether(WriterSession session, List<AppendTask> tasks) {
    List<AppendTask> valid = new ArrayList<>(tasks.size());
    for (AppendTask task : tasks) {
      if (task.messages.isEmpty()) {
        task.succeed(List.of());
      } else if (task.resolveUsers(session)) {
        valid.add(task);
      } else {
        task.fail(unknownUser());
      }
    }
    if (valid.isEmpty()) {
      return;
    }
    if (valid.size() == 1) {
      session.runInSavepoint(valid.get(0));
      return;
    }
    if (session.tryInSavepoint(() -> insert(session, valid))) {
      for (AppendTask task : valid) {
        task.succeed(task.stored);
      }
    } else {
      for (AppendTask task : valid) {
        session.runInSavepoint(task);
      }
    }
  }

  private boolean resolveUsers(WriterSession session) {
    long[] ids = new long[messages.size() * 2];
    for (int i = 0; i < messages.size(); i++) {
      NewMessage m = messages.get(i);
      ids[2 * i] = session.userId(m.sender());
      ids[2 * i + 1] = session.userId(m.recipient());
      if (ids[2 * i] < 0 || ids[2 * i + 1] < 0) {
        return false;
      }
    }
    userIds = ids;
    return true;
  }

  /** Allocates the tasks' ids in one block, in list order, inserts their rows and records them. */
  private static void insert(WriterSession session, List<AppendTask> tasks) {
    int rows = 0;
    for (AppendTask task : tasks) {
      rows += task.messages.size();
    }
    long last = session.handle().createQuery(ALLOCATE).bind(0, rows).mapTo(Long.class).one();
    long id = last - rows;
    PreparedBatch batch = session.handle().prepareBatch(INSERT);
    for (AppendTask task : tasks) {
      List<ChatMessage> stored = new ArrayList<>(task.messages.size());
      for (int i = 0; i < task.messages.size(); i++) {
        NewMessage m = task.messages.get(i);
        // The contract keeps times to the millisecond; timestamptz would keep microseconds.
        Instant sentAt = m.sentAt().truncatedTo(ChronoUnit.MILLIS);
        batch.add(++id, task.userIds[2 * i], task.userIds[2 * i + 1], m.body(),
            OffsetDateTime.ofInstant(sentAt, ZoneOffset.UTC));
        stored.add(ChatMessage.builder()
            .id(id)
            .sender(m.sender())
            .recipient(m.recipient())
            .body(m.body())
            .sentAt(sentAt)
            .build());
      }
      task.stored = stored;
    }
    batch.execute();
  }

  private static ChatException unknownUser() {
    return new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
  }
}
