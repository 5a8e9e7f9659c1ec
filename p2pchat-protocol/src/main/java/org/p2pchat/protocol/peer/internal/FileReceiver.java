package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One incoming transfer: waits for the user's decision, writes chunks at their offsets into
 * {@code <dir>/<name>.<id>.part}, acknowledges (cumulative offset plus SACK ranges) every
 * second chunk that arrives in order, and at once a chunk out of order or a duplicate (RFC
 * 5681's delayed ACK, with {@link #ACK_DELAY_MILLIS} for a lone chunk), hashes the contiguous prefix as it grows, and at the end compares the SHA-256 with
 * the offer's before renaming the part file to a name that overwrites nothing.
 *
 * <p>Memory is bounded: the out-of-order chunks are written to the file at once and only
 * remembered as bits, for a span of {@code 2 * ring} chunks above the prefix (a chunk beyond
 * it is dropped, unacknowledged). States: PENDING (decision awaited), RECEIVING, IDLE (no
 * chunk for the stall time: files closed, the engine forgets it and resumes on a new OFFER),
 * ENDED. Not thread safe.
 */
final class FileReceiver {
  enum State { PENDING, RECEIVING, IDLE, ENDED }

  /** The longest an in-order chunk waits for a second one before it is acknowledged. */
  static final long ACK_DELAY_MILLIS = 10;

  private final long id;
  private final long size;
  private final byte[] sha256;
  private final String name;
  private final long totalChunks;
  private final Outbox out;
  private final TransferListener listener;
  private final TransferLimits limits;
  private final long offeredAt;
  private final ProgressThrottle throttle = new ProgressThrottle();
  private final boolean[] have;
  private final int spanMask;
  private final ByteBuffer readBack = ByteBuffer.allocate(FilePayload.CHUNK_BYTES);

  private State state = State.PENDING;
  private Path dir;
  private Path part;
  private Path metaPath;
  private FileChannel file;
  private FileChannel meta;
  private MessageDigest digest;
  private long prefixChunk;
  private long maxSeen = -1;
  private long savedPrefix;
  private long lastChunkAt;
  private TransferError endStatus;
  private long bytesWritten;
  private boolean ackOwed;
  private long ackDeadline = Long.MAX_VALUE;

  FileReceiver(long id, long size, byte[] sha256, String name, Outbox out,
      TransferListener listener, TransferLimits limits, long now) {
    this.id = id;
    this.size = size;
    this.sha256 = sha256.clone();
    this.name = name;
    this.totalChunks = (size + FilePayload.CHUNK_BYTES - 1) / FilePayload.CHUNK_BYTES;
    this.out = out;
    this.listener = listener;
    this.limits = limits;
    this.offeredAt = now;
    int ring = Integer.highestOneBit(Math.max(1, limits.maxWindowChunks() - 1)) << 1;
    this.have = new boolean[ring * 2];
    this.spanMask = ring * 2 - 1;
  }

  long id() {
    return id;
  }

  State state() {
    return state;
  }

  String name() {
    return name;
  }

  Path directory() {
    return dir;
  }

  /** The DONE status once ENDED: null for success. */
  TransferError endStatus() {
    return endStatus;
  }

  boolean matches(long offeredSize, byte[] offeredSha) {
    return offeredSize == size && MessageDigest.isEqual(offeredSha, sha256);
  }

  /** The user said yes: open (or reopen, resuming) the part file and send ACCEPT. */
  void accept(Path directory, long now) {
    if (state != State.PENDING) {
      return;
    }
    dir = directory;
    String stem = name + "." + String.format("%016x", id) + ".part";
    part = directory.resolve(stem);
    metaPath = directory.resolve(stem + ".meta");
    long prefix;
    try {
      digest = MessageDigest.getInstance("SHA-256");
      if (Files.isSymbolicLink(part) || Files.isSymbolicLink(metaPath)) {
        throw new IOException("a part file that is a symbolic link: " + part); // never written through
      }
      prefix = Files.exists(part, LinkOption.NOFOLLOW_LINKS) ? PartMeta.savedPrefix(metaPath, id, size, sha256) : -1;
      if (prefix >= 0) {
        prefix = Math.min(prefix, Files.size(part) / FilePayload.CHUNK_BYTES * FilePayload.CHUNK_BYTES);
        file = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
        meta = PartMeta.open(metaPath);
        hashExisting(prefix);
      } else {
        prefix = 0;
        // CREATE_NEW: a part file that is there without a meta of this transfer is nobody's to
        // truncate (a sender picks the name and the id); the offer fails as an I/O error instead.
        file = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        meta = PartMeta.create(metaPath, id, size, sha256);
      }
    } catch (IOException | NoSuchAlgorithmException e) {
      out.send(FilePayload.refuse(out.buffer(), id, TransferError.IO_ERROR));
      fail(TransferError.IO_ERROR);
      return;
    }
    state = State.RECEIVING;
    prefixChunk = prefix / FilePayload.CHUNK_BYTES;
    savedPrefix = prefix;
    lastChunkAt = now;
    out.send(FilePayload.accept(out.buffer(), id, prefixBytes()));
    reportProgress(now);
    if (prefixChunk == totalChunks) {
      finish(now);
    }
  }

  private void hashExisting(long prefix) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    long at = 0;
    while (at < prefix) {
      b.clear().limit((int) Math.min(b.capacity(), prefix - at));
      int n = file.read(b, at);
      if (n <= 0) {
        throw new IOException("part file shorter than its meta says: " + part);
      }
      digest.update(b.flip());
      at += n;
    }
  }

  /** The user said no (or cancels a running transfer). */
  void refuse(TransferError reason) {
    if (state == State.PENDING || state == State.RECEIVING) {
      out.send(FilePayload.refuse(out.buffer(), id, reason));
      fail(reason);
    }
  }

  /** The sender offers again (resume, or a probe): say where we are. */
  void onReoffer(long now) {
    if (state == State.RECEIVING) {
      lastChunkAt = now;
      out.send(FilePayload.accept(out.buffer(), id, prefixBytes()));
      sendAck(-1);
    }
  }

  void onCancel() {
    if (state == State.PENDING || state == State.RECEIVING) {
      fail(TransferError.CANCELLED);
    }
  }

  void onChunk(FilePayload chunk, long now) {
    if (state != State.RECEIVING) {
      return;
    }
    long offset = chunk.field();
    if (offset < 0 || offset >= size || offset % FilePayload.CHUNK_BYTES != 0
        || chunk.dataLength() != Math.min(FilePayload.CHUNK_BYTES, size - offset)) {
      return; // not a chunk of this file
    }
    long c = offset / FilePayload.CHUNK_BYTES;
    if (c - prefixChunk > spanMask) {
      return; // beyond what we track; the sender's window never reaches this far
    }
    lastChunkAt = now;
    if (c < prefixChunk || have[(int) (c & spanMask)]) {
      sendAck(-1); // a duplicate: its ACK may have been lost
      return;
    }
    try {
      ByteBuffer data = chunk.data();
      PartMeta.writeFully(file, data, offset);
      bytesWritten += chunk.dataLength();
      if (c == prefixChunk) {
        digest.update(chunk.data());
        prefixChunk++;
        while (prefixChunk < totalChunks && have[(int) (prefixChunk & spanMask)]) {
          have[(int) (prefixChunk & spanMask)] = false;
          hashChunkFromFile(prefixChunk);
          prefixChunk++;
        }
        if (prefixBytes() - savedPrefix >= PartMeta.SAVE_EVERY_BYTES) {
          PartMeta.savePrefix(meta, prefixBytes());
          savedPrefix = prefixBytes();
        }
      } else {
        have[(int) (c & spanMask)] = true;
        maxSeen = Math.max(maxSeen, c);
      }
    } catch (IOException e) {
      out.send(FilePayload.refuse(out.buffer(), id, TransferError.IO_ERROR));
      fail(TransferError.IO_ERROR);
      return;
    }
    reportProgress(now);
    if (prefixChunk == totalChunks) {
      finish(now);
    } else if (c + 1 == prefixChunk && maxSeen < prefixChunk && !ackOwed) {
      ackOwed = true; // in order with nothing missing: wait for the next one
      ackDeadline = now + ACK_DELAY_MILLIS;
    } else {
      sendAck(c);
    }
  }

  private void hashChunkFromFile(long c) throws IOException {
    long offset = c * FilePayload.CHUNK_BYTES;
    readBack.clear().limit((int) Math.min(FilePayload.CHUNK_BYTES, size - offset));
    while (readBack.hasRemaining()) {
      if (file.read(readBack, offset + readBack.position()) < 0) {
        throw new IOException("part file shrank: " + part);
      }
    }
    digest.update(readBack.flip());
  }

  /**
   * ACK: the prefix, then the run of chunks holding {@code latest} (RFC 2018: the newest
   * first, so the sender's loss detection sees it), then the lowest runs, up to 8 in all.
   */
  private void sendAck(long latest) {
    ackOwed = false;
    ackDeadline = Long.MAX_VALUE;
    ByteBuffer b = FilePayload.ackHeader(out.buffer(), id, prefixBytes());
    int ranges = 0;
    long latestStart = -1;
    if (latest > prefixChunk && have[(int) (latest & spanMask)]) {
      long s = latest;
      while (s - 1 > prefixChunk && have[(int) ((s - 1) & spanMask)]) {
        s--;
      }
      long e = latest + 1;
      while (e <= maxSeen && have[(int) (e & spanMask)]) {
        e++;
      }
      FilePayload.addRange(b, s * FilePayload.CHUNK_BYTES, endBytes(e));
      ranges++;
      latestStart = s;
    }
    long c = prefixChunk + 1;
    while (ranges < FilePayload.MAX_SACK_RANGES && c <= maxSeen) {
      if (!have[(int) (c & spanMask)]) {
        c++;
        continue;
      }
      long s = c;
      while (c <= maxSeen && have[(int) (c & spanMask)]) {
        c++;
      }
      if (s != latestStart) {
        FilePayload.addRange(b, s * FilePayload.CHUNK_BYTES, endBytes(c));
        ranges++;
      }
    }
    out.send(b.flip());
  }

  private void finish(long now) {
    byte[] got = digest.digest();
    closeFiles();
    if (!MessageDigest.isEqual(got, sha256)) {
      deleteFiles();
      out.send(FilePayload.done(out.buffer(), id, TransferError.HASH_MISMATCH));
      fail(TransferError.HASH_MISMATCH);
      return;
    }
    Path target = null;
    try {
      for (int attempt = 0; attempt < 3 && target == null; attempt++) {
        Path candidate = FileNames.freeName(dir, name);
        if (candidate == null) {
          break;
        }
        try {
          Files.move(part, candidate); // no REPLACE_EXISTING: never overwrites
          target = candidate;
        } catch (FileAlreadyExistsException e) {
          // created meanwhile: take the next free name
        }
      }
      Files.deleteIfExists(metaPath);
    } catch (IOException e) {
      target = null;
    }
    if (target == null) {
      deleteFiles();
      out.send(FilePayload.done(out.buffer(), id, TransferError.IO_ERROR));
      fail(TransferError.IO_ERROR);
      return;
    }
    state = State.ENDED;
    endStatus = null;
    out.send(FilePayload.done(out.buffer(), id, null));
    listener.completed(id, TransferListener.Side.RECEIVING, target, got);
  }

  /** The next time {@link #onTimer} has something to do. */
  long deadline() {
    switch (state) {
      case PENDING:
        return offeredAt + limits.decisionTimeoutMillis();
      case RECEIVING:
        return Math.min(ackDeadline, lastChunkAt + limits.stallMillis());
      default:
        return Long.MAX_VALUE;
    }
  }

  void onTimer(long now) {
    if (now < deadline()) {
      return;
    }
    if (state == State.RECEIVING && ackOwed && now >= ackDeadline) {
      sendAck(-1);
      if (now < deadline()) {
        return;
      }
    }
    if (state == State.PENDING) {
      refuse(TransferError.NOT_ANSWERED);
    } else if (state == State.RECEIVING) {
      close();
      state = State.IDLE;
      listener.paused(id, TransferListener.Side.RECEIVING);
    }
  }

  /** Closes the files, keeping the part file and saving the prefix, for a later resume. */
  void close() {
    if (meta != null && meta.isOpen()) {
      try {
        PartMeta.savePrefix(meta, prefixBytes());
      } catch (IOException e) {
        // the saved prefix lags: a resume resends a little more
      }
    }
    closeFiles();
  }

  private void fail(TransferError reason) {
    closeFiles();
    deleteFiles();
    state = State.ENDED;
    endStatus = reason;
    listener.failed(id, TransferListener.Side.RECEIVING, reason);
  }

  private void closeFiles() {
    for (FileChannel ch : new FileChannel[] {file, meta}) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // nothing more to do with it
        }
      }
    }
  }

  /** Deletes the part and meta files (the files must be closed). */
  void deleteFiles() {
    for (Path p : new Path[] {part, metaPath}) {
      if (p != null) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // left behind; a later transfer truncates it
        }
      }
    }
  }

  private void reportProgress(long now) {
    long done = prefixBytes();
    if (throttle.shouldReport(done, size, now)) {
      listener.progress(id, TransferListener.Side.RECEIVING, done, size);
    }
  }

  /** The contiguous prefix received, in bytes. */
  long prefixBytes() {
    return Math.min(size, prefixChunk * FilePayload.CHUNK_BYTES);
  }

  private long endBytes(long chunkEnd) {
    return Math.min(size, chunkEnd * FilePayload.CHUNK_BYTES);
  }

  long bytesWritten() {
    return bytesWritten;
  }
}
