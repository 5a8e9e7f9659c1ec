package org.p2pchat.protocol.secure.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the secure channel, as a {@link Transport} decorator: the engine above
 * sees plaintext frames from and to peer addresses, the network below sees only the packets of
 * {@link Packets}.
 *
 * <p>{@link #poll} answers handshakes itself, on the raw transport, and hands each authenticated
 * frame up with the address it came from; a valid packet from a new address moves its channel
 * there (NAT rebinding: channels are found by receiver index, not by address). {@link #send}
 * seals a frame for the most recently established channel that an authenticated packet
 * came from at that address (so a late packet of an older channel cannot pull answers back onto
 * it), and drops it when there is none. Handshakes without a valid mac1 are ignored before any Diffie-Hellman; under load,
 * those without a valid mac2 get a stateless cookie reply.
 *
 * <p>Like every transport, it is used by one thread (poll and send); {@link #wakeup} and
 * {@link #close} are thread-safe.
 */
public final class SecureServerTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(SecureServerTransport.class);
  private static final long HOUSEKEEPING_INTERVAL_MILLIS = 1_000;

  /**
   * The server's limits.
   *
   * @param maxChannels channels kept at most; the least recently used goes first, and a full
   *     table counts as load
   * @param handshakesPerSecond initiations with a valid mac1 per second above which the server
   *     is under load and asks for cookies
   * @param handshakeMillisPerSecond milliseconds of the current second spent answering
   *     initiations above which the server is under load: a server slower than
   *     {@code handshakesPerSecond} (cold, or on a busy machine) would otherwise never reach
   *     that count, however long its backlog of initiations
   * @param underLoad an extra load signal (tests force it), checked per handshake
   */
  public record Limits(int maxChannels, int handshakesPerSecond, int handshakeMillisPerSecond,
      BooleanSupplier underLoad) {
    /** Without a time budget of its own: a quarter of every second. */
    public Limits(int maxChannels, int handshakesPerSecond, BooleanSupplier underLoad) {
      this(maxChannels, handshakesPerSecond, 250, underLoad);
    }

    /**
     * 65,536 channels; 500 handshakes per second, about half of what one loop thread completes
     * here (800-930 per second of CPU, {@code docs/benchmarks.md}); or a quarter of the loop's
     * time spent on handshakes, whichever comes first.
     */
    public static Limits defaults() {
      return new Limits(65_536, 500, 250, () -> false);
    }
  }

  /**
   * Counters for tests and monitoring; read on the polling thread.
   *
   * @param channels channels held, at most {@link Limits#maxChannels}
   * @param addresses peer addresses mapped to a channel, at most {@code channels}
   * @param handshakes handshakes answered since the start
   * @param cookieReplies cookie replies sent since the start
   * @param dropped packets dropped since the start: malformed, unauthenticated, replayed or refused
   */
  public record Stats(int channels, int addresses, long handshakes, long cookieReplies, long dropped) {}

  private final Transport delegate;
  private final NoiseNk.StaticKey staticKey;
  private final byte[] staticPublic;
  private final byte[] mac1Key;
  private final Limits limits;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final CookieMaker cookies;
  private final ServerMetrics metrics;
  private final LinkedHashMap<Integer, Channel> byIndex = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<InetSocketAddress, Channel> byAddress = new HashMap<>();
  private final ByteBuffer out = ByteBuffer.allocate(SecureChannel.MAX_PACKET_BYTES);
  private final ByteBuffer plain = ByteBuffer.allocate(SecureChannel.MAX_PACKET_BYTES);
  private DatagramHandler upstream;
  private long now;
  private long lastHousekeeping;
  private long secondStart;
  private int handshakesThisSecond;
  private long handshakeMillisThisSecond;
  private long handshakes;
  private long cookieReplies;
  private long dropped;

  /**
   * @param delegate the raw transport, which must accept datagrams of
   *     {@link SecureChannel#MAX_PACKET_BYTES}; closed with this one
   * @param clock monotonic milliseconds
   */
  public SecureServerTransport(Transport delegate, ServerKeyPair keys, Limits limits, LongSupplier clock) {
    this(delegate, keys, limits, clock, ServerMetrics.NONE);
  }

  /**
   * As {@link #SecureServerTransport(Transport, ServerKeyPair, Limits, LongSupplier)}, telling
   * {@code metrics} of handshakes, cookie replies and dropped packets.
   */
  public SecureServerTransport(Transport delegate, ServerKeyPair keys, Limits limits, LongSupplier clock,
      ServerMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.staticKey = new NoiseNk.StaticKey(keys.privateKey());
    this.staticPublic = keys.publicKey().bytes();
    this.mac1Key = Packets.mac1Key(staticPublic);
    this.limits = limits;
    this.clock = clock;
    this.cookies = new CookieMaker(staticPublic, random);
    this.lastHousekeeping = clock.getAsLong();
  }

  /** With the default limits and the monotonic system clock. */
  public static SecureServerTransport wrap(Transport delegate, ServerKeyPair keys) {
    return wrap(delegate, keys, ServerMetrics.NONE);
  }

  /** With the default limits and the monotonic system clock, telling {@code metrics} what it does. */
  public static SecureServerTransport wrap(Transport delegate, ServerKeyPair keys, ServerMetrics metrics) {
    return new SecureServerTransport(delegate, keys, Limits.defaults(), () -> System.nanoTime() / 1_000_000,
        metrics);
  }

  /** Counters since the start. Call on the polling thread. */
  public Stats stats() {
    return new Stats(byIndex.size(), byAddress.size(), handshakes, cookieReplies, dropped);
  }

  @Override
  public InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public boolean send(ByteBuffer frame, InetSocketAddress target) throws IOException {
    now = clock.getAsLong();
    Channel channel = byAddress.get(target);
    if (channel == null || channel.isExpired(now) || frame.remaining() > ProtocolLimits.MAX_DATAGRAM_BYTES) {
      return false; // no channel to that address: the peer will handshake again
    }
    channel.seal(frame, out);
    return delegate.send(out, target);
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    upstream = handler;
    int received = delegate.poll(this::onPacket, timeoutMillis);
    now = clock.getAsLong();
    if (now - lastHousekeeping >= HOUSEKEEPING_INTERVAL_MILLIS) {
      expireChannels();
      lastHousekeeping = now;
    }
    return received;
  }

  private void onPacket(ByteBuffer packet, InetSocketAddress from) {
    now = clock.getAsLong();
    try {
      if (!packet.hasRemaining()) {
        drop();
        return;
      }
      switch (packet.get(packet.position())) {
        case Packets.DATA -> onData(packet, from);
        case Packets.INITIATION -> onInitiation(packet, from);
        case Packets.KEY_REQUEST -> onKeyRequest(packet, from);
        default -> drop();
      }
    } catch (IOException e) {
      log.debug("answering a handshake failed: {}", e.toString());
    }
  }

  private void onData(ByteBuffer packet, InetSocketAddress from) {
    int length = packet.remaining();
    if (length < Packets.DATA_HEADER_BYTES + Aead.TAG_BYTES || length > SecureChannel.MAX_PACKET_BYTES) {
      drop();
      return;
    }
    Channel channel = byIndex.get(packet.getInt(packet.position() + Packets.DATA_RECEIVER_OFFSET));
    if (channel == null || !channel.open(packet, plain, now)) {
      drop();
      return;
    }
    if (!from.equals(channel.peer)) {
      if (byAddress.get(channel.peer) == channel) {
        byAddress.remove(channel.peer);
      }
      channel.peer = from; // roaming: the channel follows its authenticated packets
    }
    // An address answers on the newest channel heard from there: after a rekey, a delayed
    // packet of the old channel must not move the answers back to a channel about to expire.
    Channel mapped = byAddress.get(from);
    if (mapped != channel && (mapped == null || mapped.createdMillis <= channel.createdMillis
        || mapped.isExpired(now))) {
      byAddress.put(from, channel);
    }
    upstream.onDatagram(plain, from);
  }

  private void onInitiation(ByteBuffer packet, InetSocketAddress from) throws IOException {
    if (packet.remaining() != Packets.INITIATION_BYTES) {
      drop();
      return;
    }
    byte[] initiation = new byte[Packets.INITIATION_BYTES];
    packet.duplicate().get(initiation);
    if (!Packets.macEquals(initiation, Packets.INITIATION_MAC1_OFFSET,
        Packets.mac(mac1Key, initiation, Packets.INITIATION_MAC1_OFFSET))) {
      drop(); // not even addressed to this server's key: no work, no answer
      return;
    }
    int remoteIndex = Packets.getInt(initiation, Packets.INITIATION_SENDER_OFFSET);
    if (remoteIndex == 0) {
      drop(); // indexes are nonzero (16.2)
      return;
    }
    if (now - secondStart >= 1_000) {
      secondStart = now;
      handshakesThisSecond = 0;
      handshakeMillisThisSecond = 0;
    }
    handshakesThisSecond++;
    // A mac2 that is present must be valid, loaded or not: one that is not came from a stale
    // cookie (the peer moved) or was tampered with, and a fresh cookie costs no state or DH.
    boolean hasMac2 = !isZero(initiation, Packets.INITIATION_MAC2_OFFSET, Packets.MAC_BYTES);
    if ((hasMac2 || isUnderLoad()) && !cookies.hasValidMac2(initiation, from, now)) {
      cookies.writeReply(initiation, from, now, out);
      cookieReplies++;
      metrics.cookieReplySent();
      delegate.send(out, from);
      return;
    }
    long started = now;
    try {
      answerInitiation(initiation, remoteIndex, from);
    } finally {
      // The time the Diffie-Hellman work took, as the clock saw it: this is what backs up a
      // slow server's queue of initiations when it never reaches handshakesPerSecond.
      handshakeMillisThisSecond += clock.getAsLong() - started;
    }
  }

  private void answerInitiation(byte[] initiation, int remoteIndex, InetSocketAddress from) throws IOException {
    byte[] message = new byte[Packets.INITIATION_MESSAGE_BYTES];
    System.arraycopy(initiation, Packets.INITIATION_MESSAGE_OFFSET, message, 0, message.length);
    int localIndex = newIndex();
    byte[] indexes = new byte[Packets.RESPONSE_PAYLOAD_BYTES];
    Packets.putInt(indexes, 0, localIndex);
    Packets.putInt(indexes, 4, remoteIndex);
    // the index in clear must be the one the handshake authenticates
    NoiseNk.Response response = NoiseNk.respond(Packets.PROLOGUE, staticKey, message,
        payload -> payload.length == Packets.INITIATION_PAYLOAD_BYTES && Packets.getInt(payload, 0) == remoteIndex,
        indexes, null);
    if (response == null) {
      drop();
      return;
    }
    evictIfFull();
    byIndex.put(localIndex, new Channel(localIndex, remoteIndex, response.ciphers(), now, from));
    handshakes++;
    metrics.handshakeCompleted();
    out.clear();
    out.put(Packets.RESPONSE).putInt(localIndex).putInt(remoteIndex).put(response.message()).flip();
    delegate.send(out, from);
  }

  private void drop() {
    dropped++;
    metrics.packetDropped();
  }

  private static boolean isZero(byte[] b, int offset, int length) {
    int acc = 0;
    for (int i = offset; i < offset + length; i++) {
      acc |= b[i];
    }
    return acc == 0;
  }

  private static boolean isZero(ByteBuffer b, int offset, int length) {
    int acc = 0;
    for (int i = b.position() + offset; i < b.position() + offset + length; i++) {
      acc |= b.get(i);
    }
    return acc == 0;
  }

  private boolean isUnderLoad() {
    return handshakesThisSecond > limits.handshakesPerSecond()
        || handshakeMillisThisSecond > limits.handshakeMillisPerSecond()
        || byIndex.size() >= limits.maxChannels()
        || limits.underLoad().getAsBoolean();
  }

  private void onKeyRequest(ByteBuffer packet, InetSocketAddress from) throws IOException {
    // The filler must be zero, as 16.2 says: a request that does not follow the layout is
    // malformed, and malformed packets are dropped.
    if (packet.remaining() != Packets.KEY_REQUEST_BYTES || !isZero(packet, 1, Packets.KEY_REQUEST_BYTES - 1)) {
      drop();
      return;
    }
    out.clear();
    out.put(Packets.KEY_REPLY).put(staticPublic).flip();
    delegate.send(out, from);
  }

  private int newIndex() {
    int index;
    do {
      index = random.nextInt();
    } while (index == 0 || byIndex.containsKey(index));
    return index;
  }

  private void evictIfFull() {
    Iterator<Channel> oldest = byIndex.values().iterator();
    while (byIndex.size() >= limits.maxChannels() && oldest.hasNext()) {
      forget(oldest.next());
      oldest.remove();
    }
  }

  private void expireChannels() {
    Iterator<Channel> it = byIndex.values().iterator();
    while (it.hasNext()) {
      Channel c = it.next();
      if (c.isExpired(now)) {
        forget(c);
        it.remove();
      }
    }
  }

  private void forget(Channel c) {
    if (byAddress.get(c.peer) == c) {
      byAddress.remove(c.peer);
    }
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
