package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.PeerPath;

/** What {@link PeerChat} says of paths and sizes, driven directly on a test terminal. */
class PeerChatTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final UserName BOB = UserName.of("bob");

  private final TextSink out = new TextSink();
  private Terminal terminal;
  private PeerChat peers;

  @BeforeEach
  void open() throws Exception {
    terminal = TerminalBuilder.builder().system(false).streams(new Keyboard(), out).type("xterm")
        .size(new Size(120, 40)).build();
    peers = new PeerChat(new Screen(terminal), () -> {
      throw new AssertionError("no client here");
    }, Path.of("downloads"), true, true);
  }

  @AfterEach
  void close() throws Exception {
    terminal.close();
  }

  @Test
  void aLostDirectPathIsSaidAndEachChangeOnce() throws Exception {
    peers.onPeerPathChanged(BOB, 7, PeerPath.DIRECT);
    out.await("  (direct connection to bob)", WAIT);
    peers.onPeerPathChanged(BOB, 7, PeerPath.DIRECT);
    peers.onPeerPathChanged(BOB, 7, PeerPath.RELAYED);
    out.await("the direct path to bob was lost; now through the server's relay", WAIT);
    peers.onPeerPathChanged(BOB, 8, PeerPath.DIRECT);
    out.await("  (the connection to bob is direct now)", WAIT);
    peers.onPeerPathChanged(BOB, 8, PeerPath.CLOSED);
    out.await("the direct path to bob was lost; now through the server's relay", WAIT);
    peers.onPeerPathChanged(BOB, 7, PeerPath.CLOSED);
    out.await("  (the connection to bob closed)", WAIT);
    assertThat(out.text()).containsOnlyOnce("(direct connection to bob)");
  }

  @Test
  void sizesAreInDecimalUnitsWithOneDecimal() {
    assertThat(PeerChat.size(0)).isEqualTo("0 bytes");
    assertThat(PeerChat.size(1)).isEqualTo("1 byte");
    assertThat(PeerChat.size(999)).isEqualTo("999 bytes");
    assertThat(PeerChat.size(1_500)).isEqualTo("1.5 KB");
    assertThat(PeerChat.size(999_999)).isEqualTo("1.0 MB");
    assertThat(PeerChat.size(3_000_000)).isEqualTo("3.0 MB");
    assertThat(PeerChat.size(12_345_678_901L)).isEqualTo("12.3 GB");
  }

  @Test
  void anOfferedNameCannotHideItsExtensionOrMoveTheCursor() {
    assertThat(PeerChat.shownName("photo\u202egpj.exe")).isEqualTo("photo?gpj.exe");
    assertThat(PeerChat.shownName("a\u001b[2Jb")).isEqualTo("a?[2Jb");
  }
}
