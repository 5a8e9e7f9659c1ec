package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.api.ServerPublicKey;

class KnownHostsTest {
  @TempDir Path dir;

  @Test
  void aMissingFileKnowsNobodyAndTheFirstAddCreatesItAndItsDirectory() throws Exception {
    KnownHosts known = new KnownHosts(dir.resolve("nested").resolve("known_hosts"));
    assertThat(known.lookup("chat.example.org:7777")).isEmpty();
    ServerPublicKey key = ServerKeyPair.generate().publicKey();
    known.add("chat.example.org:7777", key);
    assertThat(known.lookup("chat.example.org:7777")).contains(key);
    assertThat(known.lookup("chat.example.org:7778")).isEmpty();
    assertThat(Files.getPosixFilePermissions(dir.resolve("nested")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void commentsAndBlankLinesAreIgnoredAndHostsMatchWhateverTheirCase() throws Exception {
    ServerPublicKey key = ServerKeyPair.generate().publicKey();
    Path file = Files.writeString(dir.resolve("known_hosts"), "# mine\n\nChat.Example.org:7777 " + key.base64() + "\n");
    assertThat(new KnownHosts(file).lookup("chat.example.org:7777")).contains(key);
  }

  @Test
  void aLineThatIsNotAKeyIsAnError() throws Exception {
    Path file = Files.writeString(dir.resolve("known_hosts"), "chat.example.org:7777 not-a-key\n");
    assertThatThrownBy(() -> new KnownHosts(file).lookup("chat.example.org:7777"))
        .isInstanceOf(IOException.class).hasMessageContaining("is not a server key");
  }
}
