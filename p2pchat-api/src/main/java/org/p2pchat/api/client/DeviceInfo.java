package org.p2pchat.api.client;

import java.time.Instant;
import java.util.Objects;

/**
 * One of the user's devices, as {@link ChatClient#devices()} lists them.
 *
 * @param id the device's id, for {@link ChatClient#revokeDevice(long)}
 * @param name the name it was given at login
 * @param createdAt when it logged in
 * @param lastUsedAt when it last logged in or resumed
 * @param current whether it is the device of this client
 */
public record DeviceInfo(long id, String name, Instant createdAt, Instant lastUsedAt, boolean current) {
  /** Checks for nulls. */
  public DeviceInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
  }
}
