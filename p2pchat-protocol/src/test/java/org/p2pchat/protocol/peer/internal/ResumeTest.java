package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
  @TempDir Path tmp;

  private static final int MB = 1 << 20;

  private static boolean receivedAtLeast(EnginePair p, long bytes) {
    return p.b.progress.stream().anyMatch(e -> e[1] >= bytes);
  }

  @Test
  void aPipeSwitchedMidTransferContinuesAndCompletes() throws IOException {
    EnginePair p = new EnginePair(tmp, 20);
    Path file = EnginePair.randomFile(tmp, "switch.bin", 4 * MB, 20);
    p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, 2 * MB), 60_000)).isTrue();
    // the direct path dies; the relay takes over (slower, longer delay)
    p.ab.dead = true;
    p.ba.dead = true;
    SimNetwork.Link relayAb = p.net.link().target(p.engineB);
    SimNetwork.Link relayBa = p.net.link().target(p.engineA);
    relayAb.delayMicros = relayBa.delayMicros = 40_000;
    relayAb.bytesPerMicro = relayBa.bytesPerMicro = 2;
    p.engineA.usePipe(relayAb, p.net.nowMillis());
    p.engineB.usePipe(relayBa, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 120_000)).isTrue();
    assertThat(p.a.failed).isEmpty();
    assertThat(p.b.completed).hasSize(1);
    assertThat(p.a.paused).isEmpty();
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    assertThat(relayAb.chunkBytesSent).isLessThan(2 * MB + 512 * 1024);
  }

  @Test
  void aDeadPipePausesAndResumeContinuesFromTheReceiversOffset() throws IOException {
    EnginePair p = new EnginePair(tmp, 21);
    p.ab.queueBytes = 16 * MB; // no drops: the receiver's prefix is all it has
    Path file = EnginePair.randomFile(tmp, "dead.bin", 4 * MB, 21);
    long id = p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, MB), 60_000)).isTrue();
    p.ab.dead = true;
    p.ba.dead = true;
    p.net.runUntil(() -> false, 1_000); // what was on the way arrives
    long had = p.engineB.receiver(id).prefixBytes();
    assertThat(p.net.runUntil(() -> !p.a.paused.isEmpty(), 60_000)).isTrue();
    assertThat(p.a.failed).isEmpty();
    assertThat(p.engineA.sender(id).state()).isEqualTo(FileSender.State.PAUSED);
    // nothing to do while paused (the receiver idles too, keeping its part file)
    p.net.runUntil(() -> false, 60_000);
    assertThat(p.b.paused).containsExactly(id);
    assertThat(p.engineA.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    assertThat(had).isGreaterThanOrEqualTo(MB).isLessThan(4 * MB);

    p.ab.dead = false;
    p.ba.dead = false;
    p.ab.recordChunks = true;
    p.engineA.resume(id, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    assertThat(p.ba.acceptOffsets).last().isEqualTo(had);
    assertThat(p.ab.chunkOffsetsSent).isNotEmpty().allMatch(offset -> offset >= had);
    assertThat(p.b.offers).hasSize(1); // the resume was not asked again
  }

  @Test
  void aNewPipeResumesAPausedTransfer() throws IOException {
    EnginePair p = new EnginePair(tmp, 22);
    Path file = EnginePair.randomFile(tmp, "new.bin", 2 * MB, 22);
    long id = p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, MB / 2), 60_000)).isTrue();
    p.ab.dead = true;
    p.ba.dead = true;
    p.net.runUntil(() -> false, 1_000);
    long had = p.engineB.receiver(id).prefixBytes();
    assertThat(p.net.runUntil(() -> !p.a.paused.isEmpty(), 60_000)).isTrue();
    SimNetwork.Link ab2 = p.net.link().target(p.engineB);
    SimNetwork.Link ba2 = p.net.link().target(p.engineA);
    p.engineB.usePipe(ba2, p.net.nowMillis());
    p.engineA.usePipe(ab2, p.net.nowMillis());
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    assertThat(p.ba.acceptOffsets).isNotEmpty();
    assertThat(ba2.acceptOffsets).containsExactly(had);
    // the rest, plus what the new path's queue drops while the window opens
    assertThat(ab2.chunkBytesSent).isLessThanOrEqualTo(2 * MB - had + ab2.queueDrops * 1024);
  }

  @Test
  void aReceiverRestartedMidTransferResumesFromItsPartFile() throws IOException {
    EnginePair p = new EnginePair(tmp, 23);
    Path file = EnginePair.randomFile(tmp, "restart.bin", 4 * MB, 23);
    long id = p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, 5 * MB / 2), 60_000)).isTrue();
    long had = p.engineB.receiver(id).prefixBytes();
    p.restartReceiver();
    long sentBefore = p.ab.chunkBytesSent;
    assertThat(p.net.runUntil(p::bothEnded, 120_000)).isTrue();
    assertThat(p.a.failed).isEmpty();
    assertThat(p.b.failed).isEmpty();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    // the new engine asked the user again, then resumed from what the part file held
    assertThat(p.b.offers).hasSize(2);
    assertThat(p.ba.acceptOffsets).last().isEqualTo(had);
    assertThat(p.ab.chunkBytesSent - sentBefore).isLessThan(4 * MB - had + 512 * 1024);
  }

  @Test
  void aCrashedReceiverResumesFromTheLastSavedPrefix() throws IOException {
    EnginePair p = new EnginePair(tmp, 24);
    Path file = EnginePair.randomFile(tmp, "crash.bin", 4 * MB, 24);
    p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, 5 * MB / 2), 60_000)).isTrue();
    // a crash: the engine is dropped without close(), so the meta file holds the prefix of
    // the last 1 MiB step
    p.net.removeEngine(p.engineB);
    p.restartReceiverWithoutClose();
    assertThat(p.net.runUntil(p::bothEnded, 120_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    assertThat(p.ba.acceptOffsets).last().isEqualTo(2L * MB);
  }

  @Test
  void aStaleAcceptThatRewindsTheSenderCostsLittle() throws IOException {
    EnginePair p = new EnginePair(tmp, 26);
    p.ab.queueBytes = 16 * MB;
    Path file = EnginePair.randomFile(tmp, "stale.bin", 4 * MB, 26);
    long id = p.send(file);
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, 2 * MB), 60_000)).isTrue();
    p.ab.dead = true;
    p.ba.dead = true;
    assertThat(p.net.runUntil(() -> !p.a.paused.isEmpty(), 60_000)).isTrue();
    p.ab.dead = false;
    p.ba.dead = false;
    p.engineA.resume(id, p.net.nowMillis());
    // a copy of the first ACCEPT, delayed all this while, arrives before the fresh one
    ByteBuffer stale = FilePayload.accept(ByteBuffer.allocate(32), id, 0);
    p.engineA.onPayload(stale, p.net.nowMillis());
    long sentBefore = p.ab.chunkBytesSent;
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    // the first ACK says how much the receiver has, and the sender skips ahead to it
    assertThat(p.ab.chunkBytesSent - sentBefore).isLessThan(2 * MB + 64 * 1024);
  }

  @Test
  void aTransferCancelledWhileTheReceiverIdlesLeavesNoFiles() throws IOException {
    EnginePair p = new EnginePair(tmp, 27);
    long id = p.send(EnginePair.randomFile(tmp, "idle.bin", 2 * MB, 27));
    assertThat(p.net.runUntil(() -> receivedAtLeast(p, MB / 2), 60_000)).isTrue();
    p.ab.dead = true;
    p.ba.dead = true;
    assertThat(p.net.runUntil(() -> !p.b.paused.isEmpty(), 60_000)).isTrue();
    try (Stream<Path> files = Files.list(p.inbox)) {
      assertThat(files).hasSize(2); // part and meta, kept for a resume
    }
    p.ab.dead = false;
    p.engineA.cancel(id, p.net.nowMillis());
    p.net.runUntil(() -> false, 1_000);
    try (Stream<Path> files = Files.list(p.inbox)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aCorruptedChunkEndsInFailureAndRemovesThePartFile() throws IOException {
    EnginePair p = new EnginePair(tmp, 25);
    p.ab.corruptChunkAt = 300 * 1024;
    Path file = EnginePair.randomFile(tmp, "bad.bin", MB, 25);
    p.send(file);
    assertThat(p.net.runUntil(p::bothEnded, 60_000)).isTrue();
    assertThat(p.a.completed).isEmpty();
    assertThat(p.b.completed).isEmpty();
    assertThat(p.a.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.HASH_MISMATCH);
    assertThat(p.b.failed).extracting(Recorder.Failed::reason).containsExactly(TransferError.HASH_MISMATCH);
    try (Stream<Path> left = Files.list(p.inbox)) {
      assertThat(left).isEmpty();
    }
  }
}
