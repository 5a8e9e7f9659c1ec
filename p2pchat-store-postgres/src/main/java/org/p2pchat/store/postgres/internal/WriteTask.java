package org.p2pchat.store.postgres.internal;

import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;

/**
 * One accepted write: its outcome is recorded on the writer thread inside the transaction and
 * published to its future only after the transaction commits (or fails).
 *
 * @param <T> the result type
 */
public abstract class WriteTask<T> {
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private T result;
  private ChatException failure;

  /** The future the caller holds. */
  final CompletableFuture<T> future() {
    return future;
  }

  /** Performs the write in the open transaction; throws ChatException for an expected refusal. */
  abstract T apply(WriterSession session);

  final void succeed(T value) {
    result = value;
    failure = null;
  }

  final void fail(ChatException e) {
    result = null;
    failure = e;
  }

  final boolean failed() {
    return failure != null;
  }

  /** Publishes the recorded outcome; call only after the transaction has ended. */
  final void complete() {
    if (failure != null) {
      future.completeExceptionally(failure);
    } else {
      future.complete(result);
    }
  }
}
