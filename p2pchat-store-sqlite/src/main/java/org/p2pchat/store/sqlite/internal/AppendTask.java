package org.p2pchat.store.sqlite.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.store.NewMessage;

/**
 * Appends one caller's messages, all or none. The writer runs consecutive appends of a batch
 * together through {@link #appendTogether}: one prepared batch for all their rows, which is
 * what makes group commit cheap per message; the statements are prepared once
 * ({@link Statements}).
 */
final class AppendTask extends WriteTask<List<ChatMessage>> {
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
    if (!resolveUsers(session)) {
      throw unknownUser();
    }
    insert(session, List.of(this));
    return stored;
  }

  /**
   * Appends the tasks' messages in one prepared batch inside a savepoint. A task naming an
   * unknown user fails alone, before anything is written. If the batch itself fails, each task
   * is retried alone so that one bad task cannot fail the others.
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

  /**
   * Inserts the tasks' rows and records each task's stored messages. AUTOINCREMENT gives each row
   * an id above every id used before, so n rows inserted after the sequence stood at s took
   * exactly s+1 .. s+n, in insertion order; the check below makes that assumption fail loudly.
   */
  private static void insert(WriterSession session, List<AppendTask> tasks) {
    Statements sql = session.statements();
    long before = sql.lastAssignedId();
    int rows = 0;
    for (AppendTask task : tasks) {
      for (int i = 0; i < task.messages.size(); i++) {
        NewMessage m = task.messages.get(i);
        sql.addInsert(task.userIds[2 * i], task.userIds[2 * i + 1], m.body(), m.sentAt().toEpochMilli());
        rows++;
      }
    }
    sql.executeInserts();
    long last = sql.lastInsertRowid();
    if (last - before != rows) {
      throw new IllegalStateException("message ids were not assigned consecutively");
    }
    long id = before;
    for (AppendTask task : tasks) {
      List<ChatMessage> stored = new ArrayList<>(task.messages.size());
      for (NewMessage m : task.messages) {
        stored.add(ChatMessage.builder()
            .id(++id)
            .sender(m.sender())
            .recipient(m.recipient())
            .body(m.body())
            .sentAt(Instant.ofEpochMilli(m.sentAt().toEpochMilli()))
            .build());
      }
      task.stored = stored;
    }
  }

  private static ChatException unknownUser() {
    return new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
  }
}
