package org.p2pchat.api.store;

import java.time.Instant;
import org.immutables.value.Value;
import org.p2pchat.api.UserName;

/**
 * A device as stored: the user it belongs to, the name it was given at login, and the hash of
 * its credential's secret (never the secret). A revoked device is no longer stored.
 */
@Value.Immutable
public abstract class StoredDevice {

  StoredDevice() {}

  /**
   * A stored device.
   *
   * @param id the id the store assigned, at least 1
   * @param user whose device it is
   * @param name the name it was given, 1 to 64 bytes of UTF-8
   * @param secretHash the hash of its secret, as the server chose to write it (the reference
   *     server: lower-case hex of SHA-256)
   * @param createdAt when it logged in
   * @param lastUsedAt when it last logged in or resumed
   * @return the device
   */
  public static StoredDevice of(long id, UserName user, String name, String secretHash, Instant createdAt,
      Instant lastUsedAt) {
    return ImmutableStoredDevice.builder().id(id).user(user).name(name).secretHash(secretHash)
        .createdAt(createdAt).lastUsedAt(lastUsedAt).build();
  }

  /** {@return the id the store assigned, at least 1} */
  public abstract long id();

  /** {@return whose device it is} */
  public abstract UserName user();

  /** {@return the name it was given at login} */
  public abstract String name();

  /** {@return the hash of its credential's secret} */
  public abstract String secretHash();

  /** {@return when it logged in} */
  public abstract Instant createdAt();

  /** {@return when it last logged in or resumed} */
  public abstract Instant lastUsedAt();

  @Value.Check
  void check() {
    if (id() < 1) {
      throw new IllegalArgumentException("a device id is at least 1: " + id());
    }
  }

  @Override
  public String toString() {
    return "StoredDevice{id=" + id() + ", user=" + user() + ", name=" + name() + "}";
  }
}
