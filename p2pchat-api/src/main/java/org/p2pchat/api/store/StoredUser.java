package org.p2pchat.api.store;

import java.time.Instant;
import org.immutables.value.Value;
import org.p2pchat.api.UserName;

/**
 * A user account as stored: the normalised name, the password hash in PHC string form (never
 * the password), and when it was created.
 */
@Value.Immutable
public abstract class StoredUser {

  StoredUser() {}

  /**
   * A stored user.
   *
   * @param name the user's name
   * @param passwordHash the password hash, a PHC string
   * @param createdAt when the account was created
   * @return the user
   */
  public static StoredUser of(UserName name, String passwordHash, Instant createdAt) {
    return ImmutableStoredUser.builder()
        .name(name)
        .passwordHash(passwordHash)
        .createdAt(createdAt)
        .build();
  }

  /** {@return the user's name} */
  public abstract UserName name();

  /**
   * {@return the password hash, a PHC string such as
   * {@code $argon2id$v=19$m=19456,t=2,p=1$...}}
   */
  public abstract String passwordHash();

  /** {@return when the account was created} */
  public abstract Instant createdAt();

  /**
   * {@return whether an operator disabled the account ({@link AdminStore#setDisabled}): the
   * server refuses its logins} False unless a store says otherwise.
   */
  @Value.Default
  public boolean disabled() {
    return false;
  }

  /**
   * {@return this user, disabled or not}
   *
   * @param disabled whether the copy is disabled
   */
  public StoredUser asDisabled(boolean disabled) {
    return ImmutableStoredUser.builder().name(name()).passwordHash(passwordHash()).createdAt(createdAt())
        .disabled(disabled).build();
  }

  @Override
  public String toString() {
    // Never print the hash: it is offline-crackable material.
    return "StoredUser{name=" + name() + ", createdAt=" + createdAt() + (disabled() ? ", disabled" : "") + "}";
  }
}
