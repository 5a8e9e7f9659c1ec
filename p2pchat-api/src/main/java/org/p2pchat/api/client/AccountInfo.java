package org.p2pchat.api.client;

import java.time.Instant;
import java.util.Objects;
import org.p2pchat.api.UserName;

/**
 * The logged-in user's account, as {@link ChatClient#account()} reads it.
 *
 * @param name the account's name
 * @param createdAt when it was registered
 */
public record AccountInfo(UserName name, Instant createdAt) {
  /**
   * Checks for nulls.
   *
   * @param name the account's name
   * @param createdAt when it was registered
   */
  public AccountInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
