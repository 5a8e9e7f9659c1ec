package org.p2pchat.store.sqlite.internal;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.api.store.StoredUser;

/** The write tasks other than append. */
public final class WriteTasks {
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
    Objects.requireNonNull(ids, "ids");
    return new AdvanceTask(recipient, ids, to);
  }

  /** Appends messages atomically; see {@link AppendTask}. */
  public static WriteTask<List<ChatMessage>> append(List<NewMessage> messages) {
    return new AppendTask(List.copyOf(messages));
  }
}
