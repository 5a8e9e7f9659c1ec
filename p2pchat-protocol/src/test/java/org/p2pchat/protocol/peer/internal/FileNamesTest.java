package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNamesTest {
  @TempDir Path tmp;

  private static String sanitise(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    return FileNames.sanitise(b, b.length);
  }

  @Test
  void pathsAndControlCharactersCannotLeaveTheDirectory() {
    assertThat(sanitise("../../etc/passwd")).isEqualTo("_.._etc_passwd");
    assertThat(sanitise("C:\\Windows\\win.ini")).isEqualTo("C__Windows_win.ini");
    assertThat(sanitise("/abs")).isEqualTo("_abs");
    assertThat(sanitise("a\u0000b\nc\u202e.txt")).isEqualTo("a_b_c_.txt"); // bidi controls too
    assertThat(sanitise(".bashrc")).isEqualTo("bashrc");
    assertThat(sanitise("photo.jpg")).isEqualTo("photo.jpg");
    assertThat(sanitise("r\u00e9sum\u00e9 \ud83d\ude00.pdf")).isEqualTo("r\u00e9sum\u00e9 \ud83d\ude00.pdf");
  }

  @Test
  void nothingUsableIsRefused() {
    assertThat(sanitise("..")).isNull();
    assertThat(sanitise(" . ")).isNull();
    assertThat(sanitise("/")).isNull();
    assertThat(FileNames.sanitise(new byte[] {(byte) 0xc3, 0x28}, 2)).isNull(); // not UTF-8
  }

  @Test
  void longNamesAreCutWithoutSplittingACharacter() {
    String name = sanitise("a".repeat(199) + "\ud83d\ude00" + "b".repeat(20));
    assertThat(name).hasSize(199);
    assertThat(sanitise("x".repeat(255))).hasSize(FileNames.MAX_BYTES);
    assertThat(sanitise("字".repeat(200)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .as("bytes, not characters, as file systems count").hasSizeLessThanOrEqualTo(FileNames.MAX_BYTES);
    assertThat(sanitise("invoice\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
    assertThat(sanitise("CON.txt")).isEqualTo("_CON.txt");
    assertThat(sanitise("nul")).isEqualTo("_nul");
    assertThat(sanitise("console.txt")).isEqualTo("console.txt");
  }

  @Test
  void freeNamesCountUpAndKeepTheExtension() throws IOException {
    assertThat(FileNames.freeName(tmp, "a.txt")).isEqualTo(tmp.resolve("a.txt"));
    Files.createFile(tmp.resolve("a.txt"));
    assertThat(FileNames.freeName(tmp, "a.txt")).isEqualTo(tmp.resolve("a (1).txt"));
    Files.createFile(tmp.resolve("a (1).txt"));
    assertThat(FileNames.freeName(tmp, "a.txt")).isEqualTo(tmp.resolve("a (2).txt"));
    Files.createFile(tmp.resolve("README"));
    assertThat(FileNames.freeName(tmp, "README")).isEqualTo(tmp.resolve("README (1)"));
    Files.createDirectory(tmp.resolve("dir"));
    assertThat(FileNames.freeName(tmp, "dir")).isEqualTo(tmp.resolve("dir (1)"));
  }
}
