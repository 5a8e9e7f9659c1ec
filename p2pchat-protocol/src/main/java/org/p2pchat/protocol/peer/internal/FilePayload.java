package org.p2pchat.protocol.peer.internal;

import java.nio.ByteBuffer;

/**
 * The file payloads on a {@link PeerPipe}: type bytes 0x10 to 0x1f, big-endian integers, one
 * flyweight for all seven layouts ({@link #wrap} checks one, the getters read it in place)
 * and a static writer per type.
 *
 * <pre>
 * OFFER  0x10  sender to receiver: I have this file for you
 *   offset size field
 *        0    1 type 0x10
 *        1    8 transfer id u64 (chosen by the sender)
 *        9    8 file size in bytes u64
 *       17   32 SHA-256 of the whole file
 *       49    1 name length n, 1 to 255
 *       50    n file name, UTF-8 (the receiver sanitises it)
 *   total 50+n
 * ACCEPT 0x11  receiver to sender: send from this offset on
 *        0    1 type 0x11
 *        1    8 transfer id u64
 *        9    8 resume offset u64 (a multiple of 1024, or the size)
 *   total 17
 * REFUSE 0x12  receiver to sender: no (also a receiver's cancel)
 *        0    1 type 0x12
 *        1    8 transfer id u64
 *        9    1 reason u8 (TransferError code)
 *   total 10
 * CHUNK  0x13  sender to receiver: file bytes
 *        0    1 type 0x13
 *        1    8 transfer id u64
 *        9    8 offset u64 (a multiple of 1024)
 *       17    d data: 1024 bytes, the last chunk of a file fewer (1 to 1024)
 *   total 17+d
 * ACK    0x14  receiver to sender: what has arrived
 *        0    1 type 0x14
 *        1    8 transfer id u64
 *        9    8 cumulative offset u64: every byte below it has arrived
 *       17    1 SACK range count k, 0 to 8
 *       18  16k ranges above the cumulative offset that have arrived: start u64, end u64
 *               (end exclusive, start &lt; end)
 *   total 18+16k
 * DONE   0x15  receiver to sender: the transfer ended
 *        0    1 type 0x15
 *        1    8 transfer id u64
 *        9    1 status u8: 0 = complete and SHA-256 checked, else a TransferError code
 *   total 10
 * CANCEL 0x16  sender to receiver: stop, and forget the partial file
 *        0    1 type 0x16
 *        1    8 transfer id u64
 *        9    1 reason u8 (TransferError code)
 *   total 10
 * </pre>
 *
 * <p>{@link #wrap} checks only the shape (exact lengths, counts, ranges); whether an offset
 * fits a transfer is for the state machines. Nothing here allocates.
 */
public final class FilePayload {
  /** OFFER type byte. */
  public static final byte OFFER = 0x10;
  /** ACCEPT type byte. */
  public static final byte ACCEPT = 0x11;
  /** REFUSE type byte. */
  public static final byte REFUSE = 0x12;
  /** CHUNK type byte. */
  public static final byte CHUNK = 0x13;
  /** ACK type byte. */
  public static final byte ACK = 0x14;
  /** DONE type byte. */
  public static final byte DONE = 0x15;
  /** CANCEL type byte. */
  public static final byte CANCEL = 0x16;
  /** The lowest type byte of the file payloads' range. */
  public static final int FIRST_TYPE = 0x10;
  /** The highest type byte of the file payloads' range. */
  public static final int LAST_TYPE = 0x1f;

  /** Data bytes in a chunk (the last one of a file may carry fewer). */
  public static final int CHUNK_BYTES = 1024;
  /** SHA-256 length. */
  public static final int HASH_BYTES = 32;
  /** The most bytes of a file name. */
  public static final int MAX_NAME_BYTES = 255;
  /** The most SACK ranges in one ACK. */
  public static final int MAX_SACK_RANGES = 8;
  /** DONE status of a complete, checked file. */
  public static final int STATUS_OK = 0;

  /** Offset of the transfer id, in every layout. */
  public static final int ID_OFFSET = 1;
  /** Offset of the second field: size, resume offset, chunk offset, cumulative, reason. */
  public static final int FIELD_OFFSET = 9;
  /** Offset of an OFFER's hash. */
  public static final int HASH_OFFSET = 17;
  /** Offset of an OFFER's name length. */
  public static final int NAME_LENGTH_OFFSET = HASH_OFFSET + HASH_BYTES;
  /** Offset of an OFFER's name. */
  public static final int NAME_OFFSET = NAME_LENGTH_OFFSET + 1;
  /** Offset of a CHUNK's data. */
  public static final int DATA_OFFSET = 17;
  /** Offset of an ACK's range count. */
  public static final int RANGE_COUNT_OFFSET = 17;
  /** Offset of an ACK's first range. */
  public static final int RANGES_OFFSET = 18;
  /** Bytes of one SACK range. */
  public static final int RANGE_BYTES = 16;
  /** Length of ACCEPT. */
  public static final int ACCEPT_BYTES = 17;
  /** Length of REFUSE, DONE and CANCEL. */
  public static final int SHORT_BYTES = 10;
  /** The longest payload of all: a full CHUNK. */
  public static final int MAX_BYTES = DATA_OFFSET + CHUNK_BYTES;

  private ByteBuffer buffer;
  private int offset;
  private int length;

  /**
   * Whether the payload's type byte is one of the file payloads' (0x10 to 0x1f), so the loop
   * hands it to {@link FileTransfers}.
   */
  public static boolean isFilePayload(ByteBuffer payload) {
    if (!payload.hasRemaining()) {
      return false;
    }
    int type = payload.get(payload.position()) & 0xff;
    return type >= FIRST_TYPE && type <= LAST_TYPE;
  }

  /**
   * Points this flyweight at the bytes between {@code payload}'s position and limit (not
   * copied, not consumed) and checks their shape.
   *
   * @return the type byte, or -1 when the payload is no well-formed file payload
   */
  public int wrap(ByteBuffer payload) {
    buffer = payload;
    offset = payload.position();
    length = payload.remaining();
    if (length < SHORT_BYTES) {
      return -1;
    }
    byte type = payload.get(offset);
    boolean ok;
    switch (type) {
      case OFFER:
        ok = length >= NAME_OFFSET + 1 && nameLength() >= 1 && length == NAME_OFFSET + nameLength();
        break;
      case ACCEPT:
        ok = length == ACCEPT_BYTES;
        break;
      case REFUSE:
      case DONE:
      case CANCEL:
        ok = length == SHORT_BYTES;
        break;
      case CHUNK:
        ok = length > DATA_OFFSET && length <= MAX_BYTES;
        break;
      case ACK:
        ok = length >= RANGES_OFFSET && length == RANGES_OFFSET + RANGE_BYTES * rangeCount()
            && rangeCount() <= MAX_SACK_RANGES && rangesWellFormed();
        break;
      default:
        ok = false;
    }
    return ok ? type : -1;
  }

  private boolean rangesWellFormed() {
    for (int i = 0; i < rangeCount(); i++) {
      long start = rangeStart(i);
      long end = rangeEnd(i);
      if (start < 0 || end < 0 || start >= end) {
        return false;
      }
    }
    return true;
  }

  /** The transfer id. */
  public long id() {
    return buffer.getLong(offset + ID_OFFSET);
  }

  /**
   * The u64 after the id: OFFER's size, ACCEPT's resume offset, CHUNK's offset, ACK's
   * cumulative offset; negative when the peer sent more than 2^63-1, which no transfer has.
   */
  public long field() {
    return buffer.getLong(offset + FIELD_OFFSET);
  }

  /** The u8 after the id: REFUSE's and CANCEL's reason, DONE's status. */
  public int code() {
    return buffer.get(offset + FIELD_OFFSET) & 0xff;
  }

  /** Copies an OFFER's SHA-256 into {@code into} (32 bytes). */
  public void hash(byte[] into) {
    buffer.get(offset + HASH_OFFSET, into, 0, HASH_BYTES);
  }

  /** An OFFER's name length in bytes. */
  public int nameLength() {
    return buffer.get(offset + NAME_LENGTH_OFFSET) & 0xff;
  }

  /** Copies an OFFER's name bytes into {@code into}, which holds at least {@link #nameLength}. */
  public void name(byte[] into) {
    buffer.get(offset + NAME_OFFSET, into, 0, nameLength());
  }

  /** A CHUNK's data length. */
  public int dataLength() {
    return length - DATA_OFFSET;
  }

  /** A read-only view of a CHUNK's data, position 0. Allocates the view only. */
  public ByteBuffer data() {
    return buffer.duplicate().position(offset + DATA_OFFSET).limit(offset + length).slice();
  }

  /** An ACK's range count. */
  public int rangeCount() {
    return buffer.get(offset + RANGE_COUNT_OFFSET) & 0xff;
  }

  /** The start of an ACK's range {@code i}, inclusive. */
  public long rangeStart(int i) {
    return buffer.getLong(offset + RANGES_OFFSET + RANGE_BYTES * i);
  }

  /** The end of an ACK's range {@code i}, exclusive. */
  public long rangeEnd(int i) {
    return buffer.getLong(offset + RANGES_OFFSET + RANGE_BYTES * i + 8);
  }

  // Writers: each clears `out`, writes one payload and flips it, ready for PeerPipe.send.

  /** Writes an OFFER; {@code name} is 1 to 255 bytes. */
  public static ByteBuffer offer(ByteBuffer out, long id, long size, byte[] sha256, byte[] name) {
    out.clear().put(OFFER).putLong(id).putLong(size).put(sha256, 0, HASH_BYTES);
    return out.put((byte) name.length).put(name).flip();
  }

  /** Writes an ACCEPT. */
  public static ByteBuffer accept(ByteBuffer out, long id, long resumeOffset) {
    return out.clear().put(ACCEPT).putLong(id).putLong(resumeOffset).flip();
  }

  /** Writes a REFUSE. */
  public static ByteBuffer refuse(ByteBuffer out, long id, TransferError reason) {
    return out.clear().put(REFUSE).putLong(id).put((byte) reason.code()).flip();
  }

  /**
   * Starts a CHUNK: header written, position at the data; put the data, then {@code flip()}.
   */
  public static ByteBuffer chunkHeader(ByteBuffer out, long id, long chunkOffset) {
    return out.clear().put(CHUNK).putLong(id).putLong(chunkOffset);
  }

  /**
   * Starts an ACK with no ranges; add them with {@link #addRange}, then {@code flip()}.
   */
  public static ByteBuffer ackHeader(ByteBuffer out, long id, long cumulative) {
    return out.clear().put(ACK).putLong(id).putLong(cumulative).put((byte) 0);
  }

  /** Appends a SACK range to an ACK started by {@link #ackHeader}. */
  public static void addRange(ByteBuffer ack, long start, long end) {
    ack.put(RANGE_COUNT_OFFSET, (byte) (ack.get(RANGE_COUNT_OFFSET) + 1));
    ack.putLong(start).putLong(end);
  }

  /** Writes a DONE; {@code error} null for success. */
  public static ByteBuffer done(ByteBuffer out, long id, TransferError error) {
    int status = error == null ? STATUS_OK : error.code();
    return out.clear().put(DONE).putLong(id).put((byte) status).flip();
  }

  /** Writes a CANCEL. */
  public static ByteBuffer cancel(ByteBuffer out, long id, TransferError reason) {
    return out.clear().put(CANCEL).putLong(id).put((byte) reason.code()).flip();
  }
}
