package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One outgoing transfer: offers the file, sends its chunks under a {@link CongestionControl}
 * window, retransmits what SACK or the RFC 6298 timer finds lost, pauses when the path dies
 * and re-offers on resume, continuing from the receiver's offset.
 *
 * <p>States: OFFERED (the OFFER is repeated with backoff until ACCEPT, REFUSE or DONE),
 * SENDING (chunks in flight; after the last is acknowledged it waits for DONE, re-offering
 * as a probe on timeout), PAUSED (no progress for the stall time), then ENDED.
 *
 * <p>Loss detection is by send order: a chunk not acknowledged while one sent 3 sends later
 * is (RFC 6675's duplicate threshold, counted in transmissions like RACK) is lost; the window
 * shrinks once per window of data however many chunks of it are lost. Not thread safe.
 */
final class FileSender {
  enum State { OFFERED, SENDING, PAUSED, ENDED }

  /** Transmissions after a chunk that, acknowledged, mark it lost. */
  static final int DUP_THRESHOLD = 3;
  /** Consecutive timeouts while sending after which the sender re-offers (a receiver restart). */
  static final int TIMEOUTS_BEFORE_REOFFER = 3;
  /** Retry delay after the pipe refused a send. */
  static final long BLOCKED_RETRY_MILLIS = 20;
  /** The longest wait between two OFFERs. */
  static final long MAX_OFFER_INTERVAL_MILLIS = 4000;

  private static final byte SACKED = 1;
  private static final byte LOST = 2;
  private static final byte RETRANSMITTED = 4;

  private final long id;
  private final Path path;
  private final FileChannel file;
  private final long size;
  private final byte[] sha256;
  private final byte[] name;
  private final long totalChunks;
  private final Outbox out;
  private final TransferListener listener;
  private final TransferLimits limits;
  private final CongestionControl window;
  private final RtoEstimator rto = new RtoEstimator();
  private final ProgressThrottle throttle = new ProgressThrottle();

  // Ring indexed by chunk index & mask; holds [base, next).
  private final int mask;
  private final long[] sentAt;
  private final long[] txSeq;
  private final byte[] flags;

  private State state = State.OFFERED;
  private boolean accepted;
  private long base;
  private long next;
  private int inFlight;
  private long txCounter;
  private long recoveryTx = -1;
  private long rtoDeadline = Long.MAX_VALUE;
  private long offerDeadline;
  private long offerInterval;
  private long offeredAt;
  private long lastProgressAt;
  private long blockedUntil = Long.MAX_VALUE;
  private int timeouts;

  // Measurements, for tests and logs.
  private long chunksSent;
  private long chunksRetransmitted;
  private long bytesSent;

  FileSender(long id, Path path, FileChannel file, long size, byte[] sha256, byte[] name,
      Outbox out, TransferListener listener, TransferLimits limits, CongestionControl window) {
    this.id = id;
    this.path = path;
    this.file = file;
    this.size = size;
    this.sha256 = sha256.clone();
    this.name = name.clone();
    this.totalChunks = (size + FilePayload.CHUNK_BYTES - 1) / FilePayload.CHUNK_BYTES;
    this.out = out;
    this.listener = listener;
    this.limits = limits;
    this.window = window;
    int ring = Integer.highestOneBit(Math.max(1, limits.maxWindowChunks() - 1)) << 1;
    this.mask = ring - 1;
    this.sentAt = new long[ring];
    this.txSeq = new long[ring];
    this.flags = new byte[ring];
  }

  long id() {
    return id;
  }

  State state() {
    return state;
  }

  /** Sends the first OFFER. */
  void start(long now) {
    offeredAt = now;
    reoffer(now, true);
  }

  private void reoffer(long now, boolean restartStallClock) {
    state = State.OFFERED;
    if (restartStallClock) {
      lastProgressAt = now;
    }
    offerInterval = rto.rtoMillis();
    sendOffer(now);
  }

  private void sendOffer(long now) {
    out.send(FilePayload.offer(out.buffer(), id, size, sha256, name));
    offerDeadline = now + offerInterval;
    offerInterval = Math.min(MAX_OFFER_INTERVAL_MILLIS, offerInterval * 2);
  }

  void onAccept(long offset, long now) {
    if (state != State.OFFERED || !validOffset(offset)) {
      return;
    }
    accepted = true;
    state = State.SENDING;
    window.reset(); // a resume may follow a dead spell or a new path: probe it afresh
    base = chunkOf(offset);
    next = base;
    inFlight = 0;
    recoveryTx = txCounter;
    timeouts = 0;
    java.util.Arrays.fill(flags, (byte) 0);
    lastProgressAt = now;
    // With everything already received, the timer re-offers until DONE comes.
    rtoDeadline = base == totalChunks ? now + rto.rtoMillis() : Long.MAX_VALUE;
    reportProgress(now);
    pump(now);
  }

  void onAck(FilePayload ack, long now) {
    if (state != State.SENDING || !validOffset(ack.field())) {
      return;
    }
    long newBase = chunkOf(ack.field());
    if (newBase > next) {
      // The receiver has more than this life of the transfer sent (a stale ACCEPT rewound us,
      // or a resume found more in its part file): skip ahead; its SHA-256 check is the judge.
      java.util.Arrays.fill(flags, (byte) 0);
      inFlight = 0;
      next = newBase;
      base = newBase;
      recoveryTx = txCounter;
      timeouts = 0;
      lastProgressAt = now;
      rtoDeadline = base == totalChunks ? now + rto.rtoMillis() : Long.MAX_VALUE;
      reportProgress(now);
    }
    int acked = 0;
    long highestTx = -1;
    long sampleSentAt = -1;
    for (long c = base; c < newBase; c++) {
      int i = (int) (c & mask);
      if ((flags[i] & SACKED) == 0) {
        acked++;
        if ((flags[i] & LOST) == 0) {
          inFlight--;
        }
        if (txSeq[i] > highestTx) {
          highestTx = txSeq[i];
          sampleSentAt = (flags[i] & RETRANSMITTED) == 0 ? sentAt[i] : -1;
        }
      }
      flags[i] = 0;
    }
    base = Math.max(base, newBase);
    for (int r = 0; r < ack.rangeCount(); r++) {
      long start = ack.rangeStart(r);
      long end = ack.rangeEnd(r);
      if (start % FilePayload.CHUNK_BYTES != 0 || !validOffset(end)) {
        continue;
      }
      long from = Math.max(base, start / FilePayload.CHUNK_BYTES);
      long to = Math.min(next, chunkOf(end));
      for (long c = from; c < to; c++) {
        int i = (int) (c & mask);
        if ((flags[i] & SACKED) == 0) {
          acked++;
          if ((flags[i] & LOST) == 0) {
            inFlight--;
          }
          flags[i] = (byte) (flags[i] | SACKED);
          if (txSeq[i] > highestTx) {
            highestTx = txSeq[i];
            sampleSentAt = (flags[i] & RETRANSMITTED) == 0 ? sentAt[i] : -1;
          }
        }
      }
    }
    if (acked == 0) {
      pump(now);
      return;
    }
    if (sampleSentAt >= 0) {
      rto.sample(now - sampleSentAt);
    }
    timeouts = 0;
    lastProgressAt = now;
    window.onAck(acked);
    detectLosses(highestTx);
    rtoDeadline = inFlight > 0 ? now + rto.rtoMillis() : Long.MAX_VALUE;
    reportProgress(now);
    if (base == totalChunks) {
      rtoDeadline = now + rto.rtoMillis(); // now waiting for DONE
    }
    pump(now);
  }

  private void detectLosses(long highestTx) {
    boolean lossInNewWindow = false;
    for (long c = base; c < next; c++) {
      int i = (int) (c & mask);
      if ((flags[i] & (SACKED | LOST)) == 0 && txSeq[i] + DUP_THRESHOLD <= highestTx) {
        flags[i] = (byte) (flags[i] | LOST);
        inFlight--;
        if (txSeq[i] > recoveryTx) {
          lossInNewWindow = true;
        }
      }
    }
    if (lossInNewWindow) {
      window.onLoss();
      recoveryTx = txCounter;
    }
  }

  /** Sends what the window allows: lost chunks first, lowest first, then new ones. */
  private void pump(long now) {
    if (state != State.SENDING || now < blockedUntil && blockedUntil != Long.MAX_VALUE) {
      return;
    }
    blockedUntil = Long.MAX_VALUE;
    long scan = base;
    while (inFlight < window.window()) {
      long c = -1;
      for (; scan < next; scan++) {
        if ((flags[(int) (scan & mask)] & LOST) != 0) {
          c = scan;
          break;
        }
      }
      boolean fresh = false;
      if (c < 0) {
        if (next >= totalChunks || next - base > mask) {
          return;
        }
        c = next;
        fresh = true;
      }
      if (!sendChunk(c, now)) {
        blockedUntil = now + BLOCKED_RETRY_MILLIS;
        return;
      }
      int i = (int) (c & mask);
      if (fresh) {
        flags[i] = 0;
        next++;
      } else {
        flags[i] = RETRANSMITTED;
        chunksRetransmitted++;
      }
      sentAt[i] = now;
      txSeq[i] = ++txCounter;
      if (inFlight == 0) {
        rtoDeadline = now + rto.rtoMillis();
      }
      inFlight++;
      if (state != State.SENDING) {
        return;
      }
    }
  }

  private boolean sendChunk(long chunk, long now) {
    long offset = chunk * FilePayload.CHUNK_BYTES;
    int length = (int) Math.min(FilePayload.CHUNK_BYTES, size - offset);
    ByteBuffer buf = FilePayload.chunkHeader(out.buffer(), id, offset);
    int dataStart = buf.position();
    buf.limit(dataStart + length);
    try {
      while (buf.hasRemaining()) {
        if (file.read(buf, offset + buf.position() - dataStart) < 0) {
          throw new IOException("the file shrank while being sent: " + path);
        }
      }
    } catch (IOException e) {
      cancel(TransferError.IO_ERROR, now);
      return true;
    }
    buf.flip();
    if (!out.send(buf)) {
      return false;
    }
    chunksSent++;
    bytesSent += length;
    return true;
  }

  void onTimer(long now) {
    switch (state) {
      case OFFERED:
        long limit = accepted ? limits.stallMillis() : limits.decisionTimeoutMillis();
        long since = accepted ? lastProgressAt : offeredAt;
        if (now - since >= limit) {
          if (accepted) {
            pause();
          } else {
            end(TransferError.NOT_ANSWERED);
          }
        } else if (now >= offerDeadline) {
          sendOffer(now);
        }
        return;
      case SENDING:
        if (now - lastProgressAt >= limits.stallMillis()) {
          pause();
          return;
        }
        if (now >= rtoDeadline) {
          onRetransmissionTimeout(now);
        }
        if (blockedUntil != Long.MAX_VALUE && now >= blockedUntil) {
          pump(now);
        }
        return;
      default:
        return;
    }
  }

  private void onRetransmissionTimeout(long now) {
    rto.backOff();
    if (++timeouts >= TIMEOUTS_BEFORE_REOFFER || base == totalChunks) {
      // Nothing heard for several RTOs, or DONE lost: the receiver may have restarted (or
      // finished); an OFFER makes it say where it stands.
      reoffer(now, false);
      return;
    }
    for (long c = base; c < next; c++) {
      int i = (int) (c & mask);
      if ((flags[i] & (SACKED | LOST)) == 0) {
        flags[i] = (byte) (flags[i] | LOST);
      }
    }
    inFlight = 0;
    window.onTimeout();
    recoveryTx = txCounter;
    rtoDeadline = now + rto.rtoMillis();
    pump(now);
  }

  /** The next time {@link #onTimer} has something to do, or Long.MAX_VALUE. */
  long deadline() {
    switch (state) {
      case OFFERED:
        long limit = accepted ? lastProgressAt + limits.stallMillis()
            : offeredAt + limits.decisionTimeoutMillis();
        return Math.min(offerDeadline, limit);
      case SENDING:
        return Math.min(Math.min(rtoDeadline, blockedUntil), lastProgressAt + limits.stallMillis());
      default:
        return Long.MAX_VALUE;
    }
  }

  private void pause() {
    state = State.PAUSED;
    inFlight = 0;
    rtoDeadline = Long.MAX_VALUE;
    listener.paused(id, TransferListener.Side.SENDING);
  }

  /** Resumes a paused transfer: a new OFFER, to which the receiver answers with its offset. */
  void resume(long now) {
    if (state == State.PAUSED) {
      window.reset();
      reoffer(now, true);
    }
  }

  /** The path changed: start the window and the RTT over, and resume if paused. */
  void onPipeChanged(long now) {
    window.reset();
    rto.reset();
    if (state == State.PAUSED) {
      reoffer(now, true);
    } else if (state == State.OFFERED) {
      offerInterval = rto.rtoMillis();
      sendOffer(now);
    } else if (state == State.SENDING) {
      // What is in flight went on the old path: send it again on the new one, in slow start
      // (if the old path delivers it after all, the receiver drops the duplicates).
      for (long c = base; c < next; c++) {
        int i = (int) (c & mask);
        if ((flags[i] & SACKED) == 0) {
          flags[i] = (byte) (flags[i] | LOST);
        }
      }
      inFlight = 0;
      recoveryTx = txCounter;
      timeouts = 0;
      lastProgressAt = now;
      rtoDeadline = base == totalChunks ? now + rto.rtoMillis() : Long.MAX_VALUE;
      pump(now);
    }
  }

  void onRefuse(int code) {
    if (state != State.ENDED) {
      end(TransferError.of(code));
    }
  }

  void onDone(int status) {
    if (state == State.ENDED) {
      return;
    }
    if (status == FilePayload.STATUS_OK) {
      state = State.ENDED;
      close();
      listener.progress(id, TransferListener.Side.SENDING, size, size);
      listener.completed(id, TransferListener.Side.SENDING, path, sha256.clone());
    } else {
      end(TransferError.of(status));
    }
  }

  /** Cancels: tells the receiver and ends. */
  void cancel(TransferError reason, long now) {
    if (state != State.ENDED) {
      out.send(FilePayload.cancel(out.buffer(), id, reason));
      end(reason);
    }
  }

  private void end(TransferError reason) {
    state = State.ENDED;
    close();
    listener.failed(id, TransferListener.Side.SENDING, reason);
  }

  void close() {
    try {
      file.close();
    } catch (IOException e) {
      // read-only; nothing is lost
    }
  }

  private void reportProgress(long now) {
    long done = Math.min(size, base * FilePayload.CHUNK_BYTES);
    if (throttle.shouldReport(done, size, now)) {
      listener.progress(id, TransferListener.Side.SENDING, done, size);
    }
  }

  /** Whether {@code offset} is a chunk boundary of this file, or its end. */
  private boolean validOffset(long offset) {
    return offset == size || offset >= 0 && offset < size && offset % FilePayload.CHUNK_BYTES == 0;
  }

  private long chunkOf(long offset) {
    return offset == size ? totalChunks : offset / FilePayload.CHUNK_BYTES;
  }

  int window() {
    return window.window();
  }

  long chunksSent() {
    return chunksSent;
  }

  long chunksRetransmitted() {
    return chunksRetransmitted;
  }

  long bytesSent() {
    return bytesSent;
  }
}
