package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
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
 * away asks for a new introduction every few seconds, and the transfer resumes where the
 * receiver stopped. Used on the client's event loop, but for {@link #send}.
 */
public final class PeerFiles {
  /** How often a sender with a broken-off transfer asks to meet the device again. */
  static final long RECONNECT_MILLIS = 5_000;
  /** How long a sender waits for the device it owes a file to come back before it gives up. */
  static final long GIVE_UP_MILLIS = 120_000;

  private final Peers peers;
  private final EventLoop loop;
  private final Executor events;
  private final ChatListener listener;
  private final LongSupplier sessionOpen;
  private final Map<String, Device> devices = new HashMap<>();
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
    long lastReconnectMillis;
    /** Since when no link to the device was up while files were owed; -1 while one is. */
    long linklessSinceMillis = -1;

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
    public void progress(long id, Side side, long doneBytes, long totalBytes) {
      FileTransfer t = known.get(id);
      if (t != null) {
        events.execute(() -> listener.onFileProgress(t, doneBytes));
      }
    }

    @Override
    public void completed(long id, Side side, Path path, byte[] sha256) {
      FileTransfer t = known.remove(id);
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
   * @param sessionOpen nonzero while the client has a session (so that a sender asks again only then)
   * @param events the application's events thread
   */
  public PeerFiles(Peers peers, EventLoop loop, Executor events, ChatListener listener, LongSupplier sessionOpen) {
    this.peers = peers;
    this.loop = loop;
    this.events = events;
    this.listener = listener;
    this.sessionOpen = sessionOpen;
  }

  private static String key(UserName peer, long deviceId) {
    return peer.value() + "/" + deviceId;
  }

  private Device device(PeerPipe pipe, UserName peer, long deviceId) {
    Device d = devices.computeIfAbsent(key(peer, deviceId), k -> new Device(peer, deviceId, pipe));
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
    Device d = devices.get(key(peer, deviceId));
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
    CompletableFuture.supplyAsync(() -> sha256(file)).whenComplete((hash, failure) -> {
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
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
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
    reschedule();
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return digest.digest();
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new java.io.UncheckedIOException(new IOException(e));
    }
  }

  /** The engines' timers, and the senders' new introductions after a lost link; on the loop. */
  public void onTimer(long nowMillis) {
    for (Device d : devices.values()) {
      d.transfers.onTimer(nowMillis);
      boolean linkless = !d.waiting.isEmpty() && peers.pipeTo(d.peer) == null;
      if (!linkless) {
        d.linklessSinceMillis = -1;
        continue;
      }
      if (d.linklessSinceMillis < 0) {
        d.linklessSinceMillis = nowMillis;
      }
      if (nowMillis - d.linklessSinceMillis >= GIVE_UP_MILLIS) {
        giveUp(d, nowMillis);
      } else if (sessionOpen.getAsLong() != 0 && nowMillis - d.lastReconnectMillis >= RECONNECT_MILLIS) {
        d.lastReconnectMillis = nowMillis;
        peers.connect(d.peer); // the link went with a session: meet again, and the transfer resumes
      }
    }
    reschedule();
  }

  private void giveUp(Device d, long nowMillis) {
    for (Map.Entry<Long, CompletableFuture<String>> e : new HashMap<>(d.waiting).entrySet()) {
      d.waiting.remove(e.getKey());
      d.known.remove(e.getKey());
      d.transfers.cancel(e.getKey(), nowMillis);
      events.execute(() -> e.getValue().completeExceptionally(new ChatException(ErrorCode.FILE_NOT_DELIVERED,
          "the contact's device went away for " + GIVE_UP_MILLIS / 1000 + " s before the file was across")));
    }
    d.linklessSinceMillis = -1;
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

  /** Closes every engine (part files stay, for a later resume). */
  public void close() {
    for (Device d : devices.values()) {
      d.transfers.close();
    }
  }
}
