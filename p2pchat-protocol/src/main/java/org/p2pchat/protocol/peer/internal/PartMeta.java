package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The {@code .part.meta} file beside a part file, so a receiver that restarts resumes:
 *
 * <pre>
 * offset size field
 *      0    4 magic "P2PF"
 *      4    8 transfer id
 *     12    8 file size
 *     20   32 SHA-256 offered
 *     52    8 contiguous prefix written to the part file (a lower bound)
 * total 60
 * </pre>
 *
 * <p>The prefix is rewritten in place every {@link #SAVE_EVERY_BYTES} and on close, never
 * synced: after a crash it may lag, which costs a resend, and a part file damaged by the
 * crash fails the SHA-256 check at the end rather than passing.
 */
final class PartMeta {
  static final int MAGIC = 0x50325046; // "P2PF"
  static final int LENGTH = 60;
  static final int PREFIX_OFFSET = 52;
  /** How much contiguous progress is between two saves of the prefix. */
  static final long SAVE_EVERY_BYTES = 1 << 20;

  private PartMeta() {}

  /** Writes a new meta file with prefix 0. */
  static FileChannel create(Path meta, long id, long size, byte[] sha256) throws IOException {
    FileChannel ch = FileChannel.open(meta, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.READ);
    ByteBuffer b = ByteBuffer.allocate(LENGTH).putInt(MAGIC).putLong(id).putLong(size)
        .put(sha256).putLong(0).flip();
    writeFully(ch, b, 0);
    return ch;
  }

  /**
   * The prefix saved in {@code meta} if it describes this transfer, else -1 (absent, damaged
   * or another transfer's).
   */
  static long savedPrefix(Path meta, long id, long size, byte[] sha256) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    try (FileChannel ch = FileChannel.open(meta, StandardOpenOption.READ)) {
      while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
        // read on
      }
    } catch (NoSuchFileException e) {
      return -1;
    }
    if (b.hasRemaining() || Files.size(meta) != LENGTH) {
      return -1;
    }
    b.flip();
    byte[] hash = new byte[FilePayload.HASH_BYTES];
    if (b.getInt() != MAGIC || b.getLong() != id || b.getLong() != size) {
      return -1;
    }
    b.get(hash);
    long prefix = b.getLong();
    boolean ok = MessageDigest.isEqual(hash, sha256) && prefix >= 0 && prefix <= size
        && (prefix % FilePayload.CHUNK_BYTES == 0 || prefix == size);
    return ok ? prefix : -1;
  }

  /** Opens an existing meta file for {@link #savePrefix}. */
  static FileChannel open(Path meta) throws IOException {
    return FileChannel.open(meta, StandardOpenOption.WRITE, StandardOpenOption.READ);
  }

  static void savePrefix(FileChannel meta, long prefix) throws IOException {
    writeFully(meta, ByteBuffer.allocate(8).putLong(prefix).flip(), PREFIX_OFFSET);
  }

  static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long at = position;
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
  }
}
