package org.p2pchat.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/** Waiting on store futures in tests, with a bound so a broken store fails instead of hanging. */
public final class StoreAssertions {
  /** How long a test waits for one store future. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private StoreAssertions() {}

  /**
   * The future's value.
   *
   * @throws AssertionError when it fails or does not complete within {@link #TIMEOUT}
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the store", e);
    } catch (ExecutionException e) {
      throw new AssertionError("the store failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the store did not answer within " + TIMEOUT, e);
    }
  }

  /**
   * Asserts that the future fails with a {@link ChatException} of {@code code}.
   *
   * @return the exception
   */
  public static ChatException awaitFailure(CompletableFuture<?> future, ErrorCode code) {
    try {
      Object value = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return fail("expected the store to fail with " + code + " but it completed with " + value);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the store", e);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ChatException.class);
      ChatException failure = (ChatException) e.getCause();
      assertThat(failure.code()).as("error code of %s", failure).isEqualTo(code);
      return failure;
    } catch (TimeoutException e) {
      throw new AssertionError("the store did not answer within " + TIMEOUT, e);
    }
  }
}
