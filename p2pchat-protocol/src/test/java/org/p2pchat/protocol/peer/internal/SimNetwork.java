package org.p2pchat.protocol.peer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A manual clock (microseconds) and the datagrams in flight between engines: each
 * {@link Link} is one direction with a rate, a drop-tail queue, a delay, random loss,
 * duplication, reordering (random extra delay) and corruption. {@link #runUntil} advances the
 * clock from event to event, delivering payloads and firing the engines' timers.
 */
final class SimNetwork {
  private record Delivery(long at, long seq, Link link, byte[] bytes) {}

  private final PriorityQueue<Delivery> queue = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final List<FileTransfers> engines = new ArrayList<>();
  final Random random;
  private long nowMicros;
  private long seq;

  SimNetwork(long seed) {
    random = new Random(seed);
  }

  long nowMillis() {
    return nowMicros / 1000;
  }

  void addEngine(FileTransfers e) {
    engines.add(e);
  }

  void removeEngine(FileTransfers e) {
    engines.remove(e);
  }

  /** A new link delivering to {@code target} (set it later with {@link Link#target}). */
  Link link() {
    return new Link();
  }

  /**
   * Runs until {@code done} holds or {@code maxMillis} of simulated time have passed.
   *
   * @return whether {@code done} held
   */
  boolean runUntil(BooleanSupplier done, long maxMillis) {
    long end = nowMicros + maxMillis * 1000;
    while (!done.getAsBoolean()) {
      long next = Long.MAX_VALUE;
      if (!queue.isEmpty()) {
        next = queue.peek().at;
      }
      for (FileTransfers e : engines) {
        long d = e.nextDeadline();
        if (d != Long.MAX_VALUE) {
          next = Math.min(next, Math.max(nowMicros, d * 1000));
        }
      }
      if (next == Long.MAX_VALUE || next > end) {
        nowMicros = Math.max(nowMicros, end);
        return done.getAsBoolean();
      }
      nowMicros = Math.max(nowMicros, next);
      while (!queue.isEmpty() && queue.peek().at <= nowMicros) {
        Delivery d = queue.poll();
        if (d.link.target != null) {
          d.link.delivered++;
          d.link.target.onPayload(ByteBuffer.wrap(d.bytes), nowMillis());
        }
      }
      for (FileTransfers e : new ArrayList<>(engines)) {
        if (e.nextDeadline() <= nowMillis()) {
          e.onTimer(nowMillis());
        }
      }
    }
    return true;
  }

  /** One direction of a path; the {@link PeerPipe} an engine sends on. */
  final class Link implements PeerPipe {
    FileTransfers target;
    double lossRate;
    double duplicateRate;
    long delayMicros = 10_000;
    long jitterMicros;
    double bytesPerMicro = 5; // 5 MB/s
    long queueBytes = 64 * 1024;
    boolean dead;
    long corruptChunkAt = -1;
    /** The share of sends refused locally (send returns false: a full socket queue). */
    double refuseRate;
    /** Payloads of this type are lost, this many times. */
    byte dropType;
    int dropTypeCount;
    long refused;
    // counters
    long sent;
    long queueDrops;
    long randomLosses;
    long delivered;
    long chunkBytesSent;
    final List<Long> chunkOffsetsSent = new ArrayList<>();
    final List<Long> acceptOffsets = new ArrayList<>();
    boolean recordChunks;
    private long nextFreeAt;

    Link target(FileTransfers t) {
      target = t;
      return this;
    }

    Link lossy(double loss, double duplicate, long jitter) {
      lossRate = loss;
      duplicateRate = duplicate;
      jitterMicros = jitter;
      return this;
    }

    @Override
    public boolean send(ByteBuffer payload) {
      int len = payload.remaining();
      if (len > MAX_PAYLOAD_BYTES) {
        throw new AssertionError("payload of " + len + " bytes");
      }
      if (refuseRate > 0 && random.nextDouble() < refuseRate) {
        refused++;
        return false; // not consumed, not sent
      }
      byte[] bytes = new byte[len];
      payload.get(bytes);
      sent++;
      if (dropTypeCount > 0 && bytes[0] == dropType) {
        dropTypeCount--;
        return true;
      }
      ByteBuffer view = ByteBuffer.wrap(bytes);
      if (bytes[0] == FilePayload.CHUNK) {
        chunkBytesSent += len - FilePayload.DATA_OFFSET;
        long offset = view.getLong(FilePayload.FIELD_OFFSET);
        if (recordChunks) {
          chunkOffsetsSent.add(offset);
        }
        if (offset == corruptChunkAt) {
          bytes[FilePayload.DATA_OFFSET + 7] ^= 0x5a;
          corruptChunkAt = -1;
        }
      } else if (bytes[0] == FilePayload.ACCEPT) {
        acceptOffsets.add(view.getLong(FilePayload.FIELD_OFFSET));
      }
      if (dead) {
        return true; // lost on the way: the sender cannot tell
      }
      long backlogBytes = (long) (Math.max(0, nextFreeAt - nowMicros) * bytesPerMicro);
      if (backlogBytes + len > queueBytes) {
        queueDrops++;
        return true;
      }
      long departure = Math.max(nowMicros, nextFreeAt) + (long) Math.ceil(len / bytesPerMicro);
      nextFreeAt = departure;
      if (random.nextDouble() < lossRate) {
        randomLosses++;
        return true;
      }
      schedule(departure, bytes);
      if (random.nextDouble() < duplicateRate) {
        schedule(departure, bytes.clone());
      }
      return true;
    }

    private void schedule(long departure, byte[] bytes) {
      long jitter = jitterMicros > 0 ? (long) (random.nextDouble() * jitterMicros) : 0;
      queue.add(new Delivery(departure + delayMicros + jitter, seq++, this, bytes));
    }
  }
}
