package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTransfersTest {
  @TempDir Path tmp;

  private static final int MB = 1 << 20;

  private void assertArrivedIntact(EnginePair p, Path source) throws IOException {
    assertThat(p.a.failed).isEmpty();
    assertThat(p.b.failed).isEmpty();
    assertThat(p.a.completed).hasSize(1);
    assertThat(p.b.completed).hasSize(1);
    Path arrived = p.b.completed.get(0).path();
    assertThat(arrived).isEqualTo(p.inbox.resolve(source.getFileName()));
    assertThat(Files.mismatch(arrived, source)).isEqualTo(-1);
    assertThat(p.b.completed.get(0).sha256()).isEqualTo(FileTransfers.sha256(source));
    try (Stream<Path> left = Files.list(p.inbox)) {
      assertThat(left).containsExactly(arrived); // no part or meta file left
    }
  }

  @Test
  void oneMegabyteArrivesIntactOverACleanPipe() throws IOException {
    EnginePair p = new EnginePair(tmp, 1);
    Path file = EnginePair.randomFile(tmp, "one.bin", MB, 1);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertArrivedIntact(p, file);
    // no loss but the 64 KiB queue's, when slow start overshoots: each dropped chunk is resent
    // once, nothing spuriously
    long resentChunks = (p.ab.chunkBytesSent - MB) / FilePayload.CHUNK_BYTES;
    assertThat(resentChunks).isLessThanOrEqualTo(p.ab.queueDrops);
  }

  @Test
  void twentyMegabytesArriveIntactOverACleanPipe() throws IOException {
    EnginePair p = new EnginePair(tmp, 2);
    Path file = EnginePair.randomFile(tmp, "twenty.bin", 20 * MB, 2);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 120_000)).isTrue();
    assertArrivedIntact(p, file);
    // 5 MB/s link: at least 4 s of simulated time, and not much more once the window is open
    assertThat(p.net.nowMillis()).isLessThan(8_000);
    // delayed ACKs: about one per two chunks once the window stops overflowing the queue
    assertThat(p.ba.sent).isLessThan(20 * MB / FilePayload.CHUNK_BYTES * 6 / 10);
  }

  @Test
  void oneMegabyteArrivesIntactOverLossDuplicationAndReordering() throws IOException {
    EnginePair p = new EnginePair(tmp, 3);
    p.ab.lossy(0.10, 0.05, 8_000);
    p.ba.lossy(0.10, 0.05, 8_000);
    Path file = EnginePair.randomFile(tmp, "lossy.bin", MB, 3);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 600_000)).isTrue();
    assertArrivedIntact(p, file);
    assertThat(p.b.offers).hasSize(1); // repeated and duplicated OFFERs asked once
  }

  @Test
  void twentyMegabytesArriveIntactOverLossDuplicationAndReordering() throws IOException {
    EnginePair p = new EnginePair(tmp, 4);
    p.ab.lossy(0.10, 0.05, 8_000);
    p.ba.lossy(0.10, 0.05, 8_000);
    Path file = EnginePair.randomFile(tmp, "lossy20.bin", 20 * MB, 4);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 3_600_000)).isTrue();
    assertArrivedIntact(p, file);
  }

  @Test
  void anExistingFileOfTheSameNameIsNeverOverwritten() throws IOException {
    EnginePair p = new EnginePair(tmp, 5);
    Files.writeString(p.inbox.resolve("notes.txt"), "mine");
    Files.writeString(p.inbox.resolve("notes (1).txt"), "mine too");
    Path dir = Files.createDirectories(tmp.resolve("out"));
    Path file = EnginePair.randomFile(dir, "notes.txt", 5000, 5);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    Path arrived = p.b.completed.get(0).path();
    assertThat(arrived.getFileName()).hasToString("notes (2).txt");
    assertThat(Files.mismatch(arrived, file)).isEqualTo(-1);
    assertThat(Files.readString(p.inbox.resolve("notes.txt"))).isEqualTo("mine");
    assertThat(Files.readString(p.inbox.resolve("notes (1).txt"))).isEqualTo("mine too");
  }

  @Test
  void aPipeThatRefusesSendsOnlySlowsTheTransfer() throws IOException {
    EnginePair p = new EnginePair(tmp, 7);
    p.ab.refuseRate = 0.3;
    p.ba.refuseRate = 0.3;
    Path file = EnginePair.randomFile(tmp, "refusing.bin", MB, 7);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 120_000)).isTrue();
    assertArrivedIntact(p, file);
    assertThat(p.ab.refused).isPositive();
    assertThat(p.a.paused).isEmpty();
  }

  @Test
  void aLostDoneIsAnsweredAgainWhenTheSenderAsks() throws IOException {
    EnginePair p = new EnginePair(tmp, 8);
    p.ba.dropType = FilePayload.DONE;
    p.ba.dropTypeCount = 1;
    Path file = EnginePair.randomFile(tmp, "done.bin", 100_000, 8);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertArrivedIntact(p, file);
    assertThat(p.ba.dropTypeCount).isZero();
  }

  @Test
  void twoFilesOfTheSameNameAtOnceBothArrive() throws IOException {
    EnginePair p = new EnginePair(tmp, 9);
    Path one = EnginePair.randomFile(Files.createDirectories(tmp.resolve("x")), "same.txt", 300_000, 1);
    Path two = EnginePair.randomFile(Files.createDirectories(tmp.resolve("y")), "same.txt", 200_000, 2);
    p.send(one);
    p.send(two);
    assertThat(p.net.runUntil(() -> p.b.completed.size() == 2 && p.a.completed.size() == 2, 60_000)).isTrue();
    assertThat(p.b.completed).extracting(c -> c.path().getFileName().toString())
        .containsExactlyInAnyOrder("same.txt", "same (1).txt");
    for (Recorder.Completed c : p.b.completed) {
      Path source = Files.size(c.path()) == 300_000 ? one : two;
      assertThat(Files.mismatch(c.path(), source)).isEqualTo(-1);
    }
  }

  @Test
  void anEmptyFileArrives() throws IOException {
    EnginePair p = new EnginePair(tmp, 6);
    Path file = Files.write(tmp.resolve("empty"), new byte[0]);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertArrivedIntact(p, file);
  }
}
