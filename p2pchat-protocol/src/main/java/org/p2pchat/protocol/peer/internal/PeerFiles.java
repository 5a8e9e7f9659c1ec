package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.FileTransfer;
import org.p2pchat.api.client.IncomingFile;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.internal.Timer;

/**
 * Files between this device and its contacts' devices (docs/protocol.md section 26): one
 * {@link FileTransfers} engine per peer device, running on whatever link to that device is up
 * (direct or relayed, and the next link after a lost one), with the application's listener told
 * what happens on its events thread. A sender whose link to a device it still owes a file went
 * away asks for a new introduction every few seconds, and a paused transfer on a link that stays
 * up is offered again as often: either way it resumes where the receiver stopped. A transfer
 * that made no progress for {@link #GIVE_UP_MILLIS} fails. Used on the client's event loop, but
 * for {@link #send}.
 */
public final class PeerFiles {
  /** How often a sender with a broken-off transfer asks to meet the device again. */
  static final long RECONNECT_MILLIS = 5_000;
  /** How long a sent file may make no progress (no device, a stalled path) before it fails. */
  static final long GIVE_UP_MILLIS = 120_000;

  private final Peers peers;
  private final EventLoop loop;
  private final Executor events;
  private final ChatListener listener;
  private final BooleanSupplier sessionOpen;
  /** By "user/device id"; a device without an id (a password session) by its link, as it has no lasting identity. */
  private final Map<Object, Device> devices = new HashMap<>();
  private final Timer timer = new Timer() {
    @Override
    protected void onDeadline(long nowMillis) {
      onTimer(nowMillis);
    }
  };

  /** One peer device's engine and what the application knows of its transfers. */
  private final class Device implements OfferDecider, TransferListener {
    final UserName peer;
    final long deviceId;
    final FileTransfers transfers;
    PeerPipe pipe;
    final Map<Long, FileTransfer> known = new HashMap<>();
    final Map<Long, CompletableFuture<String>> waiting = new HashMap<>();
    /** When each file being sent last moved (offered, accepted, acknowledged). */
    final Map<Long, Long> lastProgress = new HashMap<>();
    final Set<Long> paused = new HashSet<>();
    long lastReconnectMillis;

    Device(UserName peer, long deviceId, PeerPipe pipe) {
      this.peer = peer;
      this.deviceId = deviceId;
      this.pipe = pipe;
      this.transfers = new FileTransfers(pipe, this, this);
    }

    @Override
    public void decide(long id, String name, long sizeBytes) {
      FileTransfer t = FileTransfer.of(id, peer, FileTransfer.Direction.RECEIVING, name, sizeBytes);
      known.put(id, t);
      AtomicBoolean answered = new AtomicBoolean();
      IncomingFile offer = new IncomingFile() {
        @Override
        public FileTransfer transfer() {
          return t;
        }

        @Override
        public void accept(Path directory) {
          if (answered.compareAndSet(false, true)) {
            loop.execute(() -> {
              transfers.accept(id, directory, loop.now());
              reschedule();
            });
          }
        }

        @Override
        public void refuse() {
          if (answered.compareAndSet(false, true)) {
            loop.execute(() -> {
              transfers.refuse(id, loop.now());
              reschedule();
            });
          }
        }
      };
      events.execute(() -> listener.onFileOffered(offer));
    }

    @Override
    public void paused(long id, Side side) {
      if (side == Side.SENDING) {
        paused.add(id);
      }
    }

    @Override
    public void progress(long id, Side side, long doneBytes, long totalBytes) {
      if (side == Side.SENDING) {
        lastProgress.put(id, loop.now());
        paused.remove(id);
      }
      FileTransfer t = known.get(id);
      if (t != null) {
        events.execute(() -> listener.onFileProgress(t, doneBytes));
      }
    }

    @Override
    public void completed(long id, Side side, Path path, byte[] sha256) {
      FileTransfer t = known.remove(id);
      forgetSend(id);
      String hex = HexFormat.of().formatHex(sha256);
      if (side == Side.SENDING) {
        CompletableFuture<String> f = waiting.remove(id);
        if (f != null) {
          events.execute(() -> f.complete(hex));
        }
      } else if (t != null) {
        events.execute(() -> listener.onFileReceived(t, path, hex));
      }
    }

    @Override
    public void failed(long id, Side side, TransferError reason) {
      FileTransfer t = known.remove(id);
      forgetSend(id);
      if (side == Side.SENDING) {
        CompletableFuture<String> f = waiting.remove(id);
        if (f != null) {
          events.execute(() -> f.completeExceptionally(new ChatException(ErrorCode.FILE_NOT_DELIVERED, reason.message())));
        }
      } else if (t != null) {
        events.execute(() -> listener.onFileFailed(t, reason.message()));
      }
    }
  }

  /**
   * @param sessionOpen true while the client has a session (so that a sender asks again only then)
   * @param events the application's events thread
   */
  public PeerFiles(Peers peers, EventLoop loop, Executor events, ChatListener listener, BooleanSupplier sessionOpen) {
    this.peers = peers;
    this.loop = loop;
    this.events = events;
    this.listener = listener;
    this.sessionOpen = sessionOpen;
  }

  private static Object key(PeerPipe link, UserName peer, long deviceId) {
    return deviceId == 0 ? link : peer.value() + "/" + deviceId;
  }

  private Device device(PeerPipe pipe, UserName peer, long deviceId) {
    Device d = devices.computeIfAbsent(key(pipe, peer, deviceId), k -> new Device(peer, deviceId, pipe));
    if (d.pipe != pipe) {
      d.pipe = pipe;
      d.transfers.usePipe(pipe, loop.now()); // a new link to the same device: paused transfers go on
    }
    return d;
  }

  /** A file payload from a peer device, on the loop. */
  public void onPayload(PeerPipe link, UserName peer, long deviceId, ByteBuffer payload) {
    device(link, peer, deviceId).transfers.onPayload(payload, loop.now());
    reschedule();
  }

  /** A link's path changed, on the loop: its transfers restart their window on the new path. */
  public void onLinkChanged(PeerPipe link, UserName peer, long deviceId, PeerPath path) {
    Device d = devices.get(key(link, peer, deviceId));
    if (d == null || path == PeerPath.CLOSED) {
      return;
    }
    if (d.pipe != link) {
      d.pipe = link;
    }
    d.transfers.usePipe(link, loop.now());
    reschedule();
  }

  /**
   * Sends {@code file} to a device of {@code peer}: hashed off the loop, then offered on the best
   * link, after an introduction when there is none. Thread-safe.
   */
  public CompletableFuture<String> send(UserName peer, Path file) {
    CompletableFuture<String> result = new CompletableFuture<>();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      result.completeExceptionally(new ChatException(ErrorCode.INVALID_REQUEST, "no readable file at " + file));
      return result;
    }
    String name = file.getFileName().toString();
    CompletableFuture.supplyAsync(() -> {
      try {
        return FileTransfers.sha256(file); // off the loop: a large file takes seconds
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).whenComplete((hash, failure) -> {
      if (failure != null) {
        result.completeExceptionally(new ChatException(ErrorCode.INVALID_REQUEST, "cannot read " + file));
        return;
      }
      if (!loop.tryExecute(() -> offer(peer, file, name, hash, result))) {
        result.completeExceptionally(new ChatException(ErrorCode.CLOSED));
      }
    });
    return result;
  }

  private void offer(UserName peer, Path file, String name, byte[] hash, CompletableFuture<String> result) {
    PeerPipe pipe = peers.pipeTo(peer);
    if (pipe != null) {
      offerOn(pipe, peer, file, name, hash, result);
      return;
    }
    peers.connect(peer).whenComplete((path, failure) -> loop.execute(() -> {
      PeerPipe now = failure == null ? peers.pipeTo(peer) : null;
      if (now == null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        events.execute(() -> result.completeExceptionally(cause != null ? cause
            : new ChatException(ErrorCode.PEER_UNAVAILABLE)));
        return;
      }
      offerOn(now, peer, file, name, hash, result);
    }));
  }

  private void offerOn(PeerPipe pipe, UserName peer, Path file, String name, byte[] hash,
      CompletableFuture<String> result) {
    Device d = device(pipe, peer, peers.deviceOf(pipe));
    long id;
    try {
      id = d.transfers.send(file, name, hash, loop.now());
    } catch (IOException | RuntimeException e) {
      ChatException failure = e instanceof ChatException c ? c
          : new ChatException(ErrorCode.INVALID_REQUEST, "cannot send " + file + ": " + e.getMessage());
      events.execute(() -> result.completeExceptionally(failure));
      return;
    }
    d.known.put(id, FileTransfer.of(id, peer, FileTransfer.Direction.SENDING, name, fileSize(file)));
    d.waiting.put(id, result);
    d.lastProgress.put(id, loop.now());
    reschedule();
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The engines' timers; senders owed a device ask to meet it again, re-offer what paused, give up on what is stuck. */
  public void onTimer(long nowMillis) {
    for (Device d : new ArrayList<>(devices.values())) {
      d.transfers.onTimer(nowMillis);
      if (d.waiting.isEmpty()) {
        continue;
      }
      for (Map.Entry<Long, Long> e : new HashMap<>(d.lastProgress).entrySet()) {
        if (nowMillis - e.getValue() >= GIVE_UP_MILLIS) {
          giveUp(d, e.getKey(), nowMillis);
        }
      }
      if (d.waiting.isEmpty() || nowMillis - d.lastReconnectMillis < RECONNECT_MILLIS || !sessionOpen.getAsBoolean()) {
        continue;
      }
      d.lastReconnectMillis = nowMillis;
      PeerPipe link = d.deviceId == 0 ? (peers.isLive(d.pipe) ? d.pipe : null) : peers.pipeTo(d.peer, d.deviceId);
      if (link == null) {
        if (d.deviceId != 0) {
          peers.connect(d.peer); // the link went with a session: meet again, and the transfer resumes
        }
      } else {
        for (long id : new ArrayList<>(d.paused)) {
          d.transfers.resume(id, nowMillis); // stalled on a link that stayed up: offer again
        }
      }
    }
    reschedule();
  }

  private void forgetSend(long id) {
    for (Device d : devices.values()) {
      d.lastProgress.remove(id);
      d.paused.remove(id);
    }
  }

  private void giveUp(Device d, long id, long nowMillis) {
    CompletableFuture<String> f = d.waiting.remove(id);
    d.known.remove(id);
    d.lastProgress.remove(id);
    d.paused.remove(id);
    d.transfers.cancel(id, nowMillis);
    if (f != null) {
      events.execute(() -> f.completeExceptionally(new ChatException(ErrorCode.FILE_NOT_DELIVERED,
          "no progress for " + GIVE_UP_MILLIS / 1000 + " s: the contact's device went away or the path stalled")));
    }
  }

  private void reschedule() {
    long next = Long.MAX_VALUE;
    for (Device d : devices.values()) {
      next = Math.min(next, d.transfers.nextDeadline());
      if (!d.waiting.isEmpty()) {
        next = Math.min(next, loop.now() + RECONNECT_MILLIS);
      }
    }
    if (next == Long.MAX_VALUE) {
      loop.cancel(timer);
    } else {
      loop.schedule(timer, next);
    }
  }

  /** Closes every engine (part files stay, for a later resume); files still being sent fail with CLOSED. */
  public void close() {
    for (Device d : devices.values()) {
      for (CompletableFuture<String> f : d.waiting.values()) {
        events.execute(() -> f.completeExceptionally(new ChatException(ErrorCode.CLOSED)));
      }
      d.waiting.clear();
      d.transfers.close();
    }
  }
}
