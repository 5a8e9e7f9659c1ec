package org.p2pchat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file benchmark's baseline copies a file byte for byte, its last chunk short, in one process
 * and to a receiver that serves copy after copy.
 */
class PlainUdpCopyTest {
  @TempDir Path dir;

  private Path file(int bytes) throws Exception {
    return FileTransferBench.randomFile(dir.resolve("source-" + bytes + ".bin"), bytes);
  }

  @Test
  void copiesAFileWhoseLastChunkIsShortByteForByte() throws Exception {
    Path source = file(3 * 1024 * 1024 + 17);
    Path target = dir.resolve("target.bin");

    PlainUdpCopy.Result result = PlainUdpCopy.copy(source, target);

    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
    assertThat(result.nanos()).isPositive();
    assertThat(result.senderCpuNanos()).isPositive();
    assertThat(result.receiverCpuNanos()).isPositive();
  }

  @Test
  void aServingReceiverTakesOneCopyAfterAnotherEachFromItsOwnSender() throws Exception {
    InetSocketAddress at;
    try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      at = (InetSocketAddress) probe.getLocalAddress();
    }
    Path target = dir.resolve("served.bin");
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread receiver = new Thread(() -> {
      try {
        PlainUdpCopy.serve(at, target);
        ended.complete(null);
      } catch (java.io.IOException | RuntimeException e) {
        ended.complete(e);
      }
    }, "plain-udp-serve");
    receiver.start();
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
    for (int bytes : new int[] {1_000_000, 1024, 2_500_001}) {
      Path source = file(bytes);
      PlainUdpCopy.sendTo(local, at, source);
      // The sender is done when the receiver acknowledged the last chunk, which it wrote first.
      assertThat(Files.mismatch(source, target)).as("copy of %d bytes", bytes).isEqualTo(-1L);
    }
    assertThat(ended).as("still serving").isNotDone();
    receiver.interrupt(); // closes its channel: an interruptible channel
    assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(java.nio.channels.ClosedByInterruptException.class);
  }
}
