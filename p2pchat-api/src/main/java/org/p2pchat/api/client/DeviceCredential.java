package org.p2pchat.api.client;

import java.util.Arrays;
import java.util.Objects;
import org.p2pchat.api.UserName;

/**
 * What a device resumes its sessions with, instead of the password: the user, the device's id
 * and its 256-bit secret. Keep it as secret as a password: whoever holds it can chat as the user
 * until the device is revoked. Immutable; {@link #toString()} never shows the secret.
 */
public final class DeviceCredential {
  /** A secret's length in bytes. */
  public static final int SECRET_BYTES = 32;

  private final UserName user;
  private final long deviceId;
  private final byte[] secret;

  private DeviceCredential(UserName user, long deviceId, byte[] secret) {
    this.user = Objects.requireNonNull(user, "user");
    if (deviceId < 1) {
      throw new IllegalArgumentException("a device id is at least 1: " + deviceId);
    }
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException("a device secret has " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    this.deviceId = deviceId;
    this.secret = secret.clone();
  }

  /**
   * A credential.
   *
   * @param user whose device
   * @param deviceId the id the server gave the device, at least 1
   * @param secret the device's secret, {@value #SECRET_BYTES} bytes (copied)
   * @return the credential
   * @throws IllegalArgumentException for an id below 1 or a secret of another length
   */
  public static DeviceCredential of(UserName user, long deviceId, byte[] secret) {
    return new DeviceCredential(user, deviceId, Objects.requireNonNull(secret, "secret"));
  }

  /** {@return whose device} */
  public UserName user() {
    return user;
  }

  /** {@return the device's id} */
  public long deviceId() {
    return deviceId;
  }

  /** {@return a copy of the secret} */
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceCredential c && c.user.equals(user) && c.deviceId == deviceId
        && Arrays.equals(c.secret, secret);
  }

  @Override
  public int hashCode() {
    return user.hashCode() * 31 + Long.hashCode(deviceId);
  }

  @Override
  public String toString() {
    return "DeviceCredential{user=" + user + ", deviceId=" + deviceId + ", secret=***}";
  }
}
