package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Coverage-guided fuzzing of the file transfer engine: any bytes, cut into payloads, fed to
 * an engine that sends one file and has offers pending, never throw and never make it hold
 * more than its limits. A plain test run replays the inputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FileTransfersFuzzTest {
  private static final Path FILE;

  static {
    try {
      Path dir = Files.createTempDirectory("p2pchat-fuzz");
      byte[] data = new byte[64 * 1024 + 100];
      new Random(7).nextBytes(data);
      FILE = Files.write(dir.resolve("f.bin"), data);
      FILE.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void anyPayloadsLeaveTheEngineWithinItsLimits(byte[] input) throws IOException {
    Recorder rec = new Recorder();
    SimNetwork net = new SimNetwork(1);
    rec.net = net;
    FileTransfers engine = new FileTransfers(net.link(), rec, rec, TransferLimits.defaults(),
        new Random(1), RenoWindow::new);
    rec.engine = engine;
    long id = engine.send(FILE, 0);
    long now = 0;
    int at = 0;
    while (at < input.length) {
      int length = Math.min(input[at] & 0xff, input.length - at - 1) + 3;
      ByteBuffer payload = ByteBuffer.allocate(length + 8);
      payload.position(5);
      payload.put(input, at + 1, Math.min(length, input.length - at - 1));
      payload.limit(payload.position()).position(5);
      if (payload.remaining() >= 9 && (input[at] & 1) == 1) {
        payload.putLong(6, id); // aim at the real transfer now and then
      }
      engine.onPayload(payload, now);
      now += input[at] & 0x0f;
      engine.onTimer(now);
      at += 1 + length;
    }
    engine.onTimer(now + 1_000_000);
    assertThat(engine.activeIds().size()).isLessThanOrEqualTo(2 * TransferLimits.defaults().maxConcurrent());
    engine.close();
  }
}
