package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.secure.ServerKeyPair;

class ServerKeyFileTest {
  @TempDir Path dir;

  private Path keyFileWithMode(String mode) throws Exception {
    Path file = dir.resolve("server.key");
    ServerKeyPair.generate().store(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void anOwnerOnlyKeyFileIsAccepted() throws Exception {
    assertThatCode(() -> ServerKeyFile.checkOwnerOnly(keyFileWithMode("rw-------"))).doesNotThrowAnyException();
    Files.delete(dir.resolve("server.key"));
    assertThatCode(() -> ServerKeyFile.checkOwnerOnly(keyFileWithMode("r--------"))).doesNotThrowAnyException();
  }

  @Test
  void anyPermissionForGroupOrOthersIsRefusedAsSshDoes() throws Exception {
    for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw-rw-rw-"}) {
      Path file = keyFileWithMode(mode);
      assertThatThrownBy(() -> ServerKeyFile.checkOwnerOnly(file)).as(mode)
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("(" + mode + ")")
          .hasMessageEndingWith("fix it with: chmod 600 " + file);
      Files.delete(file);
    }
  }

  @Test
  void aModeIsWrittenAsChmodWritesIt() {
    assertThat(ServerKeyFile.octal(PosixFilePermissions.fromString("rw-r--r--"))).isEqualTo("0644");
    assertThat(ServerKeyFile.octal(PosixFilePermissions.fromString("rw-------"))).isEqualTo("0600");
    assertThat(ServerKeyFile.octal(PosixFilePermissions.fromString("rwxrwxrwx"))).isEqualTo("0777");
    assertThat(ServerKeyFile.octal(PosixFilePermissions.fromString("---------"))).isEqualTo("0000");
  }

  @Test
  void aFileSystemWithoutPosixPermissionsIsNotCheckedAndTheKeyStillLoads() throws Exception {
    // A zip file system without POSIX attributes stands in for Windows or FAT here.
    URI zip = URI.create("jar:" + dir.resolve("keys.zip").toUri());
    try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
      Path file = fs.getPath("/server.key");
      ServerKeyPair keys = ServerKeyPair.generate();
      Files.writeString(file, java.util.Base64.getEncoder().encodeToString(keys.privateKey()) + "\n");
      assertThat(Files.getFileAttributeView(file, PosixFileAttributeView.class)).as("no POSIX view").isNull();

      ServerKeyFile loaded = ServerKeyFile.prepare(file, fs.getPath("/"));

      assertThat(loaded.isNew()).isFalse();
      assertThat(loaded.keys().publicKey()).isEqualTo(keys.publicKey());
    }
  }

  @Test
  void aNewKeyIsWrittenOnlyWhenAskedAndOwnerOnly() throws Exception {
    Path file = dir.resolve("data").resolve("server.key");

    ServerKeyFile key = ServerKeyFile.prepare(file, file.getParent());
    assertThat(key.isNew()).isTrue();
    assertThat(file.getParent()).doesNotExist();

    CreatedFiles created = new CreatedFiles();
    created.createDirectories(file.getParent());
    key.storeIfNew(created);
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(ServerKeyPair.load(file).publicKey()).isEqualTo(key.keys().publicKey());

    assertThat(created.deleteAll()).isEmpty();
    assertThat(file.getParent()).doesNotExist();
  }
}
