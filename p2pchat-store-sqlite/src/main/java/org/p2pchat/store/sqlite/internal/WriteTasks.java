package org.p2pchat.store.sqlite.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/** The write tasks other than append. */
public final class WriteTasks {
  /** Ids per UPDATE, well below SQLite's bound-parameter limit. */
  private static final int IDS_PER_STATEMENT = 500;

  private WriteTasks() {}

  /** Creates a user; fails with NAME_TAKEN when the name (in any case) exists. */
  public static WriteTask<Void> createUser(StoredUser user) {
    Objects.requireNonNull(user, "user");
    return new WriteTask<>() {
      @Override
      Void apply(WriterSession session) {
        if (!session.users().insert(user.name().value(), user.passwordHash(), user.createdAt().toEpochMilli())) {
          throw new ChatException(ErrorCode.NAME_TAKEN);
        }
        return null;
      }
    };
  }

  /** Replaces a password hash; completes with whether the user existed. */
  public static WriteTask<Boolean> updatePasswordHash(UserName name, String passwordHash) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(passwordHash, "passwordHash");
    return new WriteTask<>() {
      @Override
      Boolean apply(WriterSession session) {
        return session.users().setPasswordHash(name.value(), passwordHash);
      }
    };
  }

  /** Moves messages addressed to {@code recipient} forward to {@code to}; returns those changed. */
  public static WriteTask<List<ChatMessage>> advance(UserName recipient, Collection<Long> ids, DeliveryState to) {
    Objects.requireNonNull(recipient, "recipient");
    // Sorted and distinct, so the result is in id order and each message is reported once.
    TreeSet<Long> wanted = new TreeSet<>();
    for (Long id : ids) {
      if (id != null && id > 0) {
        wanted.add(id);
      }
    }
    return new WriteTask<>() {
      @Override
      List<ChatMessage> apply(WriterSession session) {
        long recipientId = session.userId(recipient);
        List<ChatMessage> changed = new ArrayList<>();
        if (recipientId < 0 || wanted.isEmpty()) {
          return changed;
        }
        List<Long> all = new ArrayList<>(wanted);
        for (int from = 0; from < all.size(); from += IDS_PER_STATEMENT) {
          List<Long> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_STATEMENT));
          List<ChatMessage> moving = session.messages().addressedBelow(recipientId, to.code(), chunk);
          if (moving.isEmpty()) {
            continue;
          }
          List<Long> movingIds = new ArrayList<>(moving.size());
          for (ChatMessage m : moving) {
            movingIds.add(m.id());
            changed.add(m.withState(to));
          }
          session.messages().setState(to.code(), movingIds);
        }
        return changed;
      }
    };
  }

  /** Appends messages atomically; see {@link AppendTask}. */
  public static WriteTask<List<ChatMessage>> append(List<NewMessage> messages) {
    return new AppendTask(List.copyOf(messages));
  }
}
