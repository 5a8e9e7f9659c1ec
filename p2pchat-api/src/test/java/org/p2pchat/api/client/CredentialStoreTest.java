package org.p2pchat.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.UserName;

class CredentialStoreTest {
  @TempDir Path dir;

  private static DeviceCredential credential() {
    byte[] secret = new byte[DeviceCredential.SECRET_BYTES];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (i * 7);
    }
    return DeviceCredential.of(UserName.of("alice"), 42, secret);
  }

  @Test
  void anOwnerOnlyFileKeepsTheCredentialAcrossInstancesAndForgetsItOnClear() throws IOException {
    Path file = dir.resolve("p2pchat").resolve("device");
    CredentialStore store = CredentialStore.ownerOnlyFile(file);
    assertThat(store.load()).isEmpty();
    store.save(credential());

    assertThat(CredentialStore.ownerOnlyFile(file).load()).contains(credential());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }
    assertThat(Files.readString(file)).doesNotContain("\u0000").contains("user=alice").contains("device=42");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file); // no temporary file left behind
    }

    store.clear();
    assertThat(store.load()).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void aDamagedFileIsAnIoFailureNotACrash() throws IOException {
    Path file = dir.resolve("device");
    Files.writeString(file, "not a credential\n");
    assertThatThrownBy(() -> CredentialStore.ownerOnlyFile(file).load()).isInstanceOf(IOException.class);
    Files.writeString(file, "p2pchat device credential v1\nuser=alice\ndevice=x\nsecret=AAAA\n");
    assertThatThrownBy(() -> CredentialStore.ownerOnlyFile(file).load()).isInstanceOf(IOException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void theSecretIsNeverPrintedAndIsCopied() {
    DeviceCredential c = credential();
    assertThat(c.toString()).doesNotContain("secret=A").contains("***");
    byte[] secret = c.secret();
    secret[0] = 99;
    assertThat(c.secret()[0]).isZero();
    assertThatThrownBy(() -> DeviceCredential.of(UserName.of("alice"), 1, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceCredential.of(UserName.of("alice"), 0, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInMemoryStoreKeepsOneCredential() throws IOException {
    CredentialStore store = CredentialStore.inMemory();
    assertThat(store.load()).isEmpty();
    store.save(credential());
    assertThat(store.load()).contains(credential());
    store.clear();
    assertThat(store.load()).isEmpty();
  }
}
