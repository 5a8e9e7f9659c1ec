package org.p2pchat.api.client;

import java.util.Optional;

/** {@link CredentialStore#inMemory()}. */
final class InMemoryCredentialStore implements CredentialStore {
  private volatile DeviceCredential credential;
  private volatile byte[] peerKey;

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

  @Override
  public Optional<byte[]> loadPeerKey() {
    byte[] key = peerKey;
    return key == null ? Optional.empty() : Optional.of(key.clone());
  }

  @Override
  public void savePeerKey(byte[] privateKey) {
    peerKey = privateKey.clone();
  }
}
