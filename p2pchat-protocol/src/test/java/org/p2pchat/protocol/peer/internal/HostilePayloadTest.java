package org.p2pchat.protocol.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostilePayloadTest {
  @TempDir Path tmp;

  private static final byte[] HASH = new byte[32];

  /** A payload of a random file type, random length and random bytes. */
  private static ByteBuffer randomPayload(Random r) {
    byte[] b = new byte[r.nextInt(PeerPipe.MAX_PAYLOAD_BYTES + 1)];
    r.nextBytes(b);
    if (b.length > 0) {
      b[0] = (byte) (FilePayload.FIRST_TYPE + r.nextInt(16));
    }
    return ByteBuffer.wrap(b);
  }

  /** A well-formed payload with hostile fields: any id of {@code ids}, any offset or size. */
  private static ByteBuffer shapedPayload(Random r, long[] ids) {
    ByteBuffer out = ByteBuffer.allocate(PeerPipe.MAX_PAYLOAD_BYTES);
    long id = ids[r.nextInt(ids.length)];
    long[] odd = {0, 1, 1023, 1024, 1 << 20, Long.MAX_VALUE, -1, Long.MIN_VALUE, r.nextLong()};
    long field = odd[r.nextInt(odd.length)];
    switch (r.nextInt(4)) {
      case 0 -> {
        byte[] name = new byte[1 + r.nextInt(255)];
        r.nextBytes(name);
        FilePayload.offer(out, id, field, HASH, name);
      }
      case 1 -> FilePayload.accept(out, id, field);
      case 2 -> {
        FilePayload.chunkHeader(out, id, field);
        out.put(new byte[1 + r.nextInt(FilePayload.CHUNK_BYTES)]).flip();
      }
      default -> {
        FilePayload.ackHeader(out, id, field);
        for (int i = r.nextInt(9); i > 0; i--) {
          long start = odd[r.nextInt(odd.length)];
          long end = odd[r.nextInt(odd.length)];
          if (start >= 0 && start < end) {
            FilePayload.addRange(out, start, end);
          }
        }
        out.flip();
      }
    }
    return out;
  }

  @Test
  void randomAndTruncatedPayloadsNeverThrowAndNeverPileUp() throws IOException {
    Recorder rec = new Recorder();
    SimNetwork net = new SimNetwork(40);
    rec.net = net;
    SimNetwork.Link sink = net.link();
    FileTransfers engine = new FileTransfers(sink, rec, rec, TransferLimits.defaults());
    rec.engine = engine;
    rec.acceptInto = null; // offers stay pending: the most state a peer can make us hold
    Random r = new Random(40);
    long[] ids = {1, 2, 3, 4, 5, 6, r.nextLong()};
    for (int i = 0; i < 200_000; i++) {
      ByteBuffer payload = i % 2 == 0 ? randomPayload(r) : shapedPayload(r, ids);
      if (i % 7 == 0 && payload.remaining() > 1) {
        payload.limit(r.nextInt(payload.remaining())); // truncated
      }
      int position = payload.position();
      int limit = payload.limit();
      assertThat(engine.onPayload(payload, i / 10)).isEqualTo(limit > position);
      assertThat(payload.position()).isEqualTo(position); // not consumed
      engine.onTimer(i / 10);
      assertThat(engine.activeIds().size()).isLessThanOrEqualTo(TransferLimits.defaults().maxConcurrent());
    }
    assertThat(rec.offers).hasSizeLessThanOrEqualTo(ids.length);
    assertThat(engine.onPayload(ByteBuffer.wrap(new byte[] {0x01, 2, 3}), 0)).isFalse();
  }

  @Test
  void hostilePayloadsDuringATransferDoNotDisturbIt() throws IOException {
    EnginePair p = new EnginePair(tmp, 41);
    Path file = EnginePair.randomFile(tmp, "h.bin", 1 << 20, 41);
    long id = p.send(file);
    Random r = new Random(41);
    long[] ids = {id, id, id, 99, r.nextLong()};
    assertThat(p.net.runUntil(() -> {
      // payloads aimed at both ends, with the real id too where the engine can tell a lie
      // (a misplaced chunk, an ACK past the end); what the authenticated peer may say with the
      // real id (OFFER, ACCEPT, a plausible ACK, a well-placed CHUNK) is not hostile input
      for (int i = 0; i < 3; i++) {
        ByteBuffer toReceiver = shapedPayload(r, ids);
        if (toReceiver.getLong(FilePayload.ID_OFFSET) != id || !plausible(toReceiver)) {
          p.engineB.onPayload(toReceiver, p.net.nowMillis());
        }
        p.engineB.onPayload(randomPayload(r), p.net.nowMillis());
        ByteBuffer toSender = shapedPayload(r, ids);
        if (toSender.getLong(FilePayload.ID_OFFSET) != id || !plausible(toSender)) {
          p.engineA.onPayload(toSender, p.net.nowMillis());
        }
        p.engineA.onPayload(randomPayload(r), p.net.nowMillis());
      }
      return p.bothEnded();
    }, 120_000)).isTrue();
    assertThat(p.a.failed).isEmpty();
    assertThat(p.b.completed).hasSize(1);
    assertThat(Files.mismatch(p.b.completed.get(0).path(), file)).isEqualTo(-1);
    try (Stream<Path> left = Files.list(p.inbox)) {
      assertThat(left).hasSize(1);
    }
  }

  @Test
  void malformedShapesAreRejectedByTheFlyweight() {
    FilePayload f = new FilePayload();
    ByteBuffer b = ByteBuffer.allocate(PeerPipe.MAX_PAYLOAD_BYTES);
    byte[] name = "a.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer[] valid = {
      copy(FilePayload.offer(b, 1, 2, HASH, name)),
      copy(FilePayload.accept(b, 1, 1024)),
      copy(FilePayload.refuse(b, 1, TransferError.REFUSED)),
      copy(FilePayload.chunkHeader(b, 1, 0).put(new byte[1024]).flip()),
      copy(withRange(FilePayload.ackHeader(b, 1, 0), 2048, 4096).flip()),
      copy(FilePayload.done(b, 1, null)),
      copy(FilePayload.cancel(b, 1, TransferError.CANCELLED)),
    };
    for (ByteBuffer v : valid) {
      int type = v.get(0);
      assertThat(f.wrap(v.duplicate())).isEqualTo(type);
      for (int cut = 0; cut < v.remaining(); cut++) {
        if (type == FilePayload.CHUNK && cut > FilePayload.DATA_OFFSET) {
          continue; // a shorter chunk is still a chunk (the receiver checks its length)
        }
        assertThat(f.wrap(v.duplicate().limit(cut))).as("type %d cut to %d", type, cut).isEqualTo(-1);
      }
      ByteBuffer longer = ByteBuffer.allocate(v.remaining() + 1).put(v.duplicate()).put((byte) 0).flip();
      assertThat(f.wrap(longer)).isEqualTo(-1);
    }
    // a chunk longer than 1024 data bytes, nine SACK ranges, an empty range, an empty name
    assertThat(f.wrap(FilePayload.chunkHeader(b, 1, 0).put(new byte[1025]).flip())).isEqualTo(-1);
    ByteBuffer nine = FilePayload.ackHeader(b, 1, 0);
    for (int i = 0; i < 9; i++) {
      FilePayload.addRange(nine, 1024L * (2 * i + 1), 1024L * (2 * i + 2));
    }
    assertThat(f.wrap(nine.flip())).isEqualTo(-1);
    assertThat(f.wrap(withRange(FilePayload.ackHeader(b, 1, 0), 4096, 4096).flip())).isEqualTo(-1);
    assertThat(f.wrap(FilePayload.offer(b, 1, 2, HASH, new byte[0]))).isEqualTo(-1);
  }

  @Test
  void payloadsReadBackWhatWasWritten() {
    FilePayload f = new FilePayload();
    ByteBuffer b = ByteBuffer.allocate(PeerPipe.MAX_PAYLOAD_BYTES);
    byte[] hash = new byte[32];
    new Random(1).nextBytes(hash);
    byte[] name = "r\u00e9sum\u00e9.pdf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(f.wrap(FilePayload.offer(b, -2, 5000, hash, name))).isEqualTo(FilePayload.OFFER);
    byte[] gotHash = new byte[32];
    byte[] gotName = new byte[255];
    f.hash(gotHash);
    f.name(gotName);
    assertThat(f.id()).isEqualTo(-2);
    assertThat(f.field()).isEqualTo(5000);
    assertThat(gotHash).isEqualTo(hash);
    assertThat(java.util.Arrays.copyOf(gotName, f.nameLength())).isEqualTo(name);
    assertThat(f.wrap(withRange(withRange(FilePayload.ackHeader(b, 7, 1024), 3072, 4096), 8192, 9000).flip()))
        .isEqualTo(FilePayload.ACK);
    assertThat(f.rangeCount()).isEqualTo(2);
    assertThat(f.rangeStart(1)).isEqualTo(8192);
    assertThat(f.rangeEnd(1)).isEqualTo(9000);
    assertThat(f.wrap(FilePayload.done(b, 7, TransferError.HASH_MISMATCH))).isEqualTo(FilePayload.DONE);
    assertThat(TransferError.of(f.code())).isEqualTo(TransferError.HASH_MISMATCH);
    // the layout, byte for byte (the vector for docs/protocol.md)
    ByteBuffer accept = FilePayload.accept(b, 0x0102030405060708L, 0x400);
    assertThat(hex(accept)).isEqualTo("11" + "0102030405060708" + "0000000000000400");
    long id = 0x0102030405060708L;
    byte[] helloHash = java.util.HexFormat.of()
        .parseHex("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(hex(FilePayload.offer(b, id, 5, helloHash, "a.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .isEqualTo("10" + "0102030405060708" + "0000000000000005"
            + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" + "05" + "612e747874");
    assertThat(hex(FilePayload.chunkHeader(b, id, 0).put("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)).flip()))
        .isEqualTo("13" + "0102030405060708" + "0000000000000000" + "68656c6c6f");
    assertThat(hex(withRange(FilePayload.ackHeader(b, id, 1024), 2048, 3072).flip()))
        .isEqualTo("14" + "0102030405060708" + "0000000000000400" + "01" + "0000000000000800" + "0000000000000c00");
    assertThat(hex(FilePayload.refuse(b, id, TransferError.TOO_LARGE))).isEqualTo("12" + "0102030405060708" + "02");
    assertThat(hex(FilePayload.done(b, id, null))).isEqualTo("15" + "0102030405060708" + "00");
    assertThat(hex(FilePayload.cancel(b, id, TransferError.CANCELLED))).isEqualTo("16" + "0102030405060708" + "07");
  }

  /** Whether the payload could be true of the 1 MiB transfer: an OFFER, ACCEPT, good CHUNK or ACK. */
  private static boolean plausible(ByteBuffer b) {
    long field = b.getLong(FilePayload.FIELD_OFFSET);
    boolean boundary = field >= 0 && field <= (1 << 20) && field % 1024 == 0;
    return switch (b.get(0)) {
      case FilePayload.CHUNK -> boundary && b.remaining() == FilePayload.MAX_BYTES;
      case FilePayload.ACK -> boundary;
      default -> true;
    };
  }

  private static ByteBuffer withRange(ByteBuffer ack, long start, long end) {
    FilePayload.addRange(ack, start, end);
    return ack;
  }

  private static ByteBuffer copy(ByteBuffer b) {
    return ByteBuffer.allocate(b.remaining()).put(b).flip();
  }

  private static String hex(ByteBuffer b) {
    StringBuilder s = new StringBuilder();
    for (int i = b.position(); i < b.limit(); i++) {
      s.append(String.format("%02x", b.get(i)));
    }
    return s.toString();
  }
}
