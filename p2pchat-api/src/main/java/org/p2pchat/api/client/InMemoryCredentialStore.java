package org.p2pchat.api.client;

import java.util.Optional;

/** {@link CredentialStore#inMemory()}. */
final class InMemoryCredentialStore implements CredentialStore {
  private volatile DeviceCredential credential;

  @Override
  public Optional<DeviceCredential> load() {
    return Optional.ofNullable(credential);
  }

  @Override
  public void save(DeviceCredential credential) {
    this.credential = credential;
  }

  @Override
  public void clear() {
    credential = null;
  }
}
