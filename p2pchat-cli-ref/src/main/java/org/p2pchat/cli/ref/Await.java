package org.p2pchat.cli.ref;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
    return result(() -> future, context);
  }

  /**
   * The value of the future that {@code call} returns. A call that throws instead (the SDK's
   * {@code register} does for a password it refuses, against its contract) fails the same way
   * as a failed future, so that no SDK exception ever escapes a command.
   *
   * @param context what was being done, for the error sentence ("cannot send to bob")
   */
  static <T> T result(Supplier<CompletableFuture<T>> call, String context) throws CliFailure {
    CompletableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      throw CliFailure.of(context, e);
    }
    try {
      return future.get(BACKSTOP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw CliFailure.of(context, e);
    } catch (TimeoutException e) {
      throw CliFailure.of(context, new ChatException(ErrorCode.TIMEOUT));
    } catch (InterruptedException e) {
      // Ctrl-C while waiting: the request may still complete on the server.
      throw new CliFailure(context + ": cancelled (Ctrl-C); it may still have reached the server", ExitCodes.UNEXPECTED);
    }
  }
}
