package org.p2pchat.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task handed to a loop runs, or the caller hears it will not: none is lost as the loop ends. */
class EventLoopTest {
  private final List<String> ran = new ArrayList<>();
  private final EventLoop loop = new EventLoop(new RecordingTransport(7777), new MovableClock(), new LoopAgent() {
    @Override
    public String roleName() {
      return "test";
    }

    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress sender) {}

    @Override
    public void onClose() {
      // A task handed in while the agent closes runs in the loop's last pass.
      assertThat(loop.tryExecute(() -> ran.add("during close"))).isTrue();
    }
  }, 250, 0);

  @Test
  void aTaskRunsUntilTheLoopEndsAndIsRefusedAfter() throws Exception {
    assertThat(loop.tryExecute(() -> ran.add("before"))).isTrue();
    loop.runOnce(0);
    assertThat(ran).containsExactly("before");

    loop.closeDriven();
    assertThat(ran).containsExactly("before", "during close");
    assertThat(loop.tryExecute(() -> ran.add("after"))).as("refused: the loop has ended").isFalse();
    assertThat(ran).doesNotContain("after");
  }
}
