package org.p2pchat.api.store;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;
import org.p2pchat.api.UserName;

/** An account as an operator sees it ({@link AdminStore}): never its password hash. */
@Value.Immutable
public abstract class UserAccount {

  UserAccount() {}

  /**
   * An account.
   *
   * @param name the account's name
   * @param createdAt when it was registered
   * @param lastLoginAt its last successful login; empty when it never logged in
   * @param disabled whether an operator disabled it
   * @return the account
   */
  public static UserAccount of(UserName name, Instant createdAt, Optional<Instant> lastLoginAt, boolean disabled) {
    return ImmutableUserAccount.builder().name(name).createdAt(createdAt).lastLoginAt(lastLoginAt)
        .disabled(disabled).build();
  }

  /** {@return the account's name} */
  public abstract UserName name();

  /** {@return when the account was registered} */
  public abstract Instant createdAt();

  /** {@return its last successful login, millisecond precision; empty when it never logged in} */
  public abstract Optional<Instant> lastLoginAt();

  /** {@return whether an operator disabled it, so that it cannot log in} */
  public abstract boolean disabled();
}
