package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;

/**
 * The file transfers with one peer device, both directions: the entry point the client's
 * event loop drives. Feed it every payload whose type is a file payload's
 * ({@link FilePayload#isFilePayload}) with {@link #onPayload}, call {@link #onTimer} at the
 * deadline it last returned (every method that may change it returns nothing, so call
 * {@link #nextDeadline} after them, or simply call {@link #onTimer} whenever the loop wakes),
 * and {@link #usePipe} when the path changes. Start a transfer with {@link #send}; incoming
 * offers go to the {@link OfferDecider}, answered with {@link #accept} or {@link #refuse}.
 *
 * <p>Bounds: {@link TransferLimits#maxConcurrent()} transfers each way (more sends throw,
 * more offers are refused TOO_MANY); 32 ended and 32 idle incoming transfers remembered, to
 * answer a late OFFER or CHUNK with DONE and to resume without asking again. Every payload
 * is hostile: malformed ones, unknown ids and out-of-range offsets are dropped, nothing
 * throws out of {@link #onPayload}.
 *
 * <p>The engine writes each payload into one reused buffer and hands it to
 * {@link PeerPipe#send}: the pipe must be done with the bytes (sealed or copied) when send
 * returns. On the receiving side a transfer lives in {@code <dir>/<name>.<id as 16 hex
 * digits>.part} with a 60-byte {@code .part.meta} beside it (see {@link PartMeta}); on success
 * the part file is renamed to the first free one of {@code name}, {@code name (1).ext}, ...,
 * and the meta file deleted; on failure both are deleted. A paused or closed transfer keeps
 * them, for a resume.
 *
 * <p>Not thread safe: use it on the event loop only, like the pipes. Time is the caller's
 * {@code nowMillis} (any monotonic clock in ms).
 */
public final class FileTransfers implements AutoCloseable {
  /** How many ended and idle incoming transfers are remembered. */
  static final int REMEMBERED = 32;

  private final Outbox out;
  private final OfferDecider decider;
  private final TransferListener listener;
  private final TransferLimits limits;
  private final RandomGenerator ids;
  private final IntFunction<CongestionControl> congestion;
  private final FilePayload in = new FilePayload();
  private final byte[] hash = new byte[FilePayload.HASH_BYTES];
  private final byte[] nameBytes = new byte[FilePayload.MAX_NAME_BYTES];
  private final Map<Long, FileSender> senders = new LinkedHashMap<>();
  private final Map<Long, FileReceiver> receivers = new LinkedHashMap<>();
  private final Map<Long, TransferError> ended = bounded();
  private final Map<Long, FileReceiver> idle = bounded();
  private final Map<Long, TransferError> sentEnded = bounded();

  /**
   * An engine sending over {@code pipe}, with the default limits.
   *
   * @param decider asked about each acceptable incoming offer
   * @param listener told of every transfer's progress and end
   */
  public FileTransfers(PeerPipe pipe, OfferDecider decider, TransferListener listener) {
    this(pipe, decider, listener, TransferLimits.defaults());
  }

  /** An engine with other limits. */
  public FileTransfers(PeerPipe pipe, OfferDecider decider, TransferListener listener,
      TransferLimits limits) {
    this(pipe, decider, listener, limits, new SecureRandom(), RenoWindow::new);
  }

  /** For tests: the transfer ids and the congestion control are chosen. */
  FileTransfers(PeerPipe pipe, OfferDecider decider, TransferListener listener,
      TransferLimits limits, RandomGenerator ids, IntFunction<CongestionControl> congestion) {
    this.out = new Outbox(Objects.requireNonNull(pipe, "pipe"));
    this.decider = Objects.requireNonNull(decider, "decider");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.ids = ids;
    this.congestion = congestion;
  }

  /**
   * Offers {@code file} to the peer under its own file name. Reads the whole file once to
   * hash it, on the calling thread (about 2-4 ms per MB): for a large file hash it elsewhere
   * and call {@link #send(Path, String, byte[], long)}.
   *
   * @return the transfer id
   * @throws IOException when the file cannot be read
   * @throws ChatException INVALID_REQUEST when {@link TransferLimits#maxConcurrent()}
   *     transfers to this peer are under way already
   */
  public long send(Path file, long nowMillis) throws IOException {
    return send(file, String.valueOf(file.getFileName()), sha256(file), nowMillis);
  }

  /**
   * Offers {@code file}, whose SHA-256 the caller computed, as {@code name} (at most 255
   * UTF-8 bytes; the receiver sanitises it).
   *
   * @return the transfer id
   * @throws IOException when the file cannot be opened
   * @throws IllegalArgumentException when the name is empty or too long, or the hash not 32
   *     bytes
   * @throws ChatException INVALID_REQUEST when too many transfers are under way
   */
  public long send(Path file, String name, byte[] sha256, long nowMillis) throws IOException {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length < 1 || utf8.length > FilePayload.MAX_NAME_BYTES) {
      throw new IllegalArgumentException("the file name must be 1 to 255 UTF-8 bytes, was " + utf8.length);
    }
    if (sha256.length != FilePayload.HASH_BYTES) {
      throw new IllegalArgumentException("sha256 must be 32 bytes, was " + sha256.length);
    }
    if (senders.size() >= limits.maxConcurrent()) {
      throw new ChatException(ErrorCode.INVALID_REQUEST,
          "at most " + limits.maxConcurrent() + " files can be sent to one device at once");
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    long id;
    do {
      id = ids.nextLong();
    } while (senders.containsKey(id) || sentEnded.containsKey(id));
    FileSender s = new FileSender(id, file, ch, ch.size(), sha256, utf8, out, listener, limits,
        congestion.apply(limits.maxWindowChunks()));
    senders.put(id, s);
    listener.offered(id, TransferListener.Side.SENDING, name, ch.size());
    s.start(nowMillis);
    sweep();
    return id;
  }

  /**
   * Takes one payload from the peer (position to limit; not consumed, not kept). Anything
   * malformed or unknown is dropped.
   *
   * @return false when it is no file payload at all (another handler's type)
   */
  public boolean onPayload(ByteBuffer payload, long nowMillis) {
    if (!FilePayload.isFilePayload(payload)) {
      return false;
    }
    int type = in.wrap(payload);
    if (type < 0) {
      return true;
    }
    long id = in.id();
    switch (type) {
      case FilePayload.OFFER -> onOffer(id, nowMillis);
      case FilePayload.CHUNK -> onChunk(id, nowMillis);
      case FilePayload.CANCEL -> {
        FileReceiver r = receivers.get(id);
        if (r != null) {
          r.onCancel();
        }
        FileReceiver gone = idle.remove(id);
        if (gone != null) {
          gone.deleteFiles(); // the sender gave up while we were idle
        }
      }
      case FilePayload.ACCEPT -> withSender(id, s -> s.onAccept(in.field(), nowMillis));
      case FilePayload.ACK -> withSender(id, s -> s.onAck(in, nowMillis));
      case FilePayload.REFUSE -> withSender(id, s -> s.onRefuse(in.code()));
      case FilePayload.DONE -> withSender(id, s -> s.onDone(in.code()));
      default -> { }
    }
    sweep();
    return true;
  }

  private void withSender(long id, java.util.function.Consumer<FileSender> action) {
    FileSender s = senders.get(id);
    if (s != null) {
      action.accept(s);
    }
  }

  private void onOffer(long id, long now) {
    long size = in.field();
    in.hash(hash);
    FileReceiver r = receivers.get(id);
    if (r != null) {
      if (r.matches(size, hash)) {
        r.onReoffer(now);
      }
      return;
    }
    TransferError done = ended.get(id);
    if (done != null || ended.containsKey(id)) {
      out.send(FilePayload.done(out.buffer(), id, done));
      return;
    }
    TransferError refusal = null;
    String name = null;
    if (receivers.size() >= limits.maxConcurrent()) {
      refusal = TransferError.TOO_MANY;
    } else if (size < 0 || size > limits.maxFileBytes()) {
      refusal = TransferError.TOO_LARGE;
    } else {
      int n = in.nameLength();
      in.name(nameBytes);
      name = FileNames.sanitise(nameBytes, n);
      if (name == null) {
        refusal = TransferError.BAD_NAME;
      }
    }
    if (refusal != null) {
      out.send(FilePayload.refuse(out.buffer(), id, refusal));
      return;
    }
    r = new FileReceiver(id, size, hash, name, out, listener, limits, now);
    receivers.put(id, r);
    FileReceiver before = idle.remove(id);
    if (before != null && before.matches(size, hash)) {
      r.accept(before.directory(), now); // accepted before: resume without asking again
      return;
    }
    listener.offered(id, TransferListener.Side.RECEIVING, name, size);
    decider.decide(id, name, size);
  }

  private void onChunk(long id, long now) {
    FileReceiver r = receivers.get(id);
    if (r != null) {
      r.onChunk(in, now);
    } else if (ended.containsKey(id)) {
      out.send(FilePayload.done(out.buffer(), id, ended.get(id)));
    }
  }

  /**
   * Accepts offer {@code id} into {@code directory} (which must exist). If a part file of
   * the same transfer is there (a restart), the transfer resumes from it. Unknown or already
   * answered ids are ignored.
   */
  public void accept(long id, Path directory, long nowMillis) {
    FileReceiver r = receivers.get(id);
    if (r != null) {
      r.accept(directory, nowMillis);
      sweep();
    }
  }

  /** Refuses offer {@code id}, or cancels it if already receiving (the part file is deleted). */
  public void refuse(long id, long nowMillis) {
    FileReceiver r = receivers.get(id);
    if (r != null) {
      r.refuse(r.state() == FileReceiver.State.PENDING ? TransferError.REFUSED : TransferError.CANCELLED);
      sweep();
    }
  }

  /** Cancels sending transfer {@code id}: the receiver deletes its part file. */
  public void cancel(long id, long nowMillis) {
    FileSender s = senders.get(id);
    if (s != null) {
      s.cancel(TransferError.CANCELLED, nowMillis);
      sweep();
    }
  }

  /** Resumes sending transfer {@code id} if it is paused: re-offers it. */
  public void resume(long id, long nowMillis) {
    FileSender s = senders.get(id);
    if (s != null) {
      s.resume(nowMillis);
    }
  }

  /**
   * The path to the peer changed: everything continues on {@code pipe}; paused sending
   * transfers resume; congestion windows and RTT estimates start over.
   */
  public void usePipe(PeerPipe pipe, long nowMillis) {
    out.use(Objects.requireNonNull(pipe, "pipe"));
    for (FileSender s : new ArrayList<>(senders.values())) {
      s.onPipeChanged(nowMillis);
    }
    sweep();
  }

  /**
   * Runs what is due at {@code nowMillis} (retransmissions, offers, stalls, decision
   * timeouts).
   *
   * @return the next deadline in ms, Long.MAX_VALUE when nothing waits
   */
  public long onTimer(long nowMillis) {
    for (FileSender s : new ArrayList<>(senders.values())) {
      if (s.deadline() <= nowMillis) {
        s.onTimer(nowMillis);
      }
    }
    for (FileReceiver r : new ArrayList<>(receivers.values())) {
      if (r.deadline() <= nowMillis) {
        r.onTimer(nowMillis);
      }
    }
    sweep();
    return nextDeadline();
  }

  /** The next deadline in ms, Long.MAX_VALUE when nothing waits. */
  public long nextDeadline() {
    long d = Long.MAX_VALUE;
    for (FileSender s : senders.values()) {
      d = Math.min(d, s.deadline());
    }
    for (FileReceiver r : receivers.values()) {
      d = Math.min(d, r.deadline());
    }
    return d;
  }

  /** The ids of the transfers under way (paused ones too), sending and receiving. */
  public List<Long> activeIds() {
    List<Long> all = new ArrayList<>(senders.keySet());
    all.addAll(receivers.keySet());
    return all;
  }

  /** Closes every file; part files stay for a later resume. No events are sent. */
  @Override
  public void close() {
    senders.values().forEach(FileSender::close);
    receivers.values().forEach(FileReceiver::close);
    senders.clear();
    receivers.clear();
  }

  /** Forgets ended transfers; remembers ended and idle receivers for late payloads. */
  private void sweep() {
    senders.values().removeIf(s -> {
      if (s.state() == FileSender.State.ENDED) {
        sentEnded.put(s.id(), TransferError.UNKNOWN);
        return true;
      }
      return false;
    });
    receivers.values().removeIf(r -> {
      if (r.state() == FileReceiver.State.ENDED) {
        ended.put(r.id(), r.endStatus());
        return true;
      }
      if (r.state() == FileReceiver.State.IDLE) {
        idle.put(r.id(), r);
        return true;
      }
      return false;
    });
  }

  FileSender sender(long id) {
    return senders.get(id);
  }

  FileReceiver receiver(long id) {
    return receivers.get(id);
  }

  /** The SHA-256 of a file. */
  static byte[] sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    try (InputStream is = Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ))) {
      byte[] b = new byte[64 * 1024];
      for (int n; (n = is.read(b)) > 0; ) {
        md.update(b, 0, n);
      }
    }
    return md.digest();
  }

  private static <K, V> Map<K, V> bounded() {
    return new LinkedHashMap<>() {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > REMEMBERED;
      }
    };
  }
}
