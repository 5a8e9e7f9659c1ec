package org.p2pchat.cli.ref;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/** Waits for SDK futures on behalf of a command, turning failures into {@link CliFailure}s. */
final class Await {
  /**
   * A backstop only: the client engine fails a request with TIMEOUT after its own deadline
   * (15 s by default), well before this.
   */
  private static final long BACKSTOP_SECONDS = 60;

  private Await() {}

  /**
   * The future's value.
   *
   * @param context what was being done, for the error sentence ("cannot send to bob")
   */
  static <T> T result(CompletableFuture<T> future, String context) throws CliFailure {
    try {
      return future.get(BACKSTOP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw CliFailure.of(context, e);
    } catch (TimeoutException e) {
      throw CliFailure.of(context, new ChatException(ErrorCode.TIMEOUT));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.of(context, new ChatException(ErrorCode.CLOSED));
    }
  }
}
