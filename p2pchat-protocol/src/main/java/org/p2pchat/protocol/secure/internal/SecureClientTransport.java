package org.p2pchat.protocol.secure.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.api.transport.Transport;
import org.p2pchat.protocol.secure.SecureChannel;
import org.p2pchat.api.ServerPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of the secure channel, as a {@link Transport} decorator around the client's
 * socket. The first {@link #send} starts a handshake with the pinned server key; frames sent
 * before the channel is up wait in a small queue (the oldest is dropped when it is full: the
 * engine retransmits anyway). Handshakes are retransmitted with backoff, each time fresh, and
 * given up after {@link Options#giveUpAfterMillis}; a channel is replaced by a new handshake
 * after {@link Options#rekeyAfterMillis} or {@link Options#rekeyAfterMessages}, or when it has
 * carried sends but brought nothing back for 15 s (the server restarted), the old one still
 * decrypting until it expires.
 *
 * <p>A server that does not hold the pinned key cannot read the initiation and never answers,
 * so nothing is ever sent to it but handshake initiations: the client's requests time out.
 *
 * <p>Used by one thread (poll and send); {@link #wakeup} and {@link #close} are thread-safe.
 */
public final class SecureClientTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(SecureClientTransport.class);
  private static final int MAX_QUEUED_FRAMES = 64;
  /**
   * A channel that has carried sends but no answer for this long is presumed lost (the server
   * restarted and forgot it) and replaced by a new handshake: WireGuard's KEEPALIVE_TIMEOUT +
   * REKEY_TIMEOUT.
   */
  static final long SILENCE_BEFORE_REHANDSHAKE_MILLIS = 15_000;

  /**
   * The client's timers.
   *
   * @param initialRetransmitMillis first handshake retransmission, doubling from there
   * @param maxRetransmitMillis the longest wait between handshake attempts
   * @param giveUpAfterMillis stop retrying a handshake after this long (the next send retries)
   * @param rekeyAfterMillis start a new handshake when the channel is this old
   * @param rekeyAfterMessages start a new handshake after sending this many packets
   */
  public record Options(long initialRetransmitMillis, long maxRetransmitMillis, long giveUpAfterMillis,
      long rekeyAfterMillis, long rekeyAfterMessages) {
    /** 250 ms doubling to 4 s, given up after 90 s (WireGuard's REKEY_ATTEMPT_TIME); rekey as {@link SecureChannel}. */
    public static Options defaults() {
      return new Options(250, 4_000, 90_000, SecureChannel.REKEY_AFTER_MILLIS, SecureChannel.REKEY_AFTER_MESSAGES);
    }
  }

  private final Transport delegate;
  private final InetSocketAddress server;
  private final byte[] serverKey;
  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private final Options options;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final ByteBuffer out = ByteBuffer.allocate(SecureChannel.MAX_PACKET_BYTES);
  private final ByteBuffer plain = ByteBuffer.allocate(SecureChannel.MAX_PACKET_BYTES);
  private Channel current;
  private Channel previous;
  private Pending pending;
  private byte[] cookie;
  private long cookieReceivedMillis;
  private DatagramHandler upstream;
  private long now;
  private long handshakesCompleted;
  /** When the first send since the last authenticated receipt left; -1 when none is waiting. */
  private long unansweredSinceMillis = -1;

  /** A handshake in flight. */
  private static final class Pending {
    final long firstAttemptMillis;
    long backoffMillis;
    long retransmitAtMillis;
    NoiseNk.Initiator handshake;
    int localIndex;
    byte[] mac1;
    boolean cookieUsed;

    Pending(long nowMillis, long backoffMillis) {
      this.firstAttemptMillis = nowMillis;
      this.backoffMillis = backoffMillis;
    }
  }

  /**
   * @param delegate the raw transport, which must accept datagrams of
   *     {@link SecureChannel#MAX_PACKET_BYTES}; closed with this one
   * @param server the server's address; packets from anywhere else are dropped
   * @param clock monotonic milliseconds
   */
  public SecureClientTransport(Transport delegate, InetSocketAddress server, ServerPublicKey serverKey,
      Options options, LongSupplier clock) {
    this.delegate = delegate;
    this.server = server;
    this.serverKey = serverKey.bytes();
    this.mac1Key = Packets.mac1Key(this.serverKey);
    this.cookieKey = Packets.cookieKey(this.serverKey);
    this.options = options;
    this.clock = clock;
  }

  /** With the default options and the monotonic system clock. */
  public static SecureClientTransport wrap(Transport delegate, InetSocketAddress server, ServerPublicKey serverKey) {
    return new SecureClientTransport(delegate, server, serverKey, Options.defaults(),
        () -> System.nanoTime() / 1_000_000);
  }

  /** Whether a channel is established and usable. Call on the polling thread. */
  public boolean isEstablished() {
    return current != null && !current.isExpired(clock.getAsLong());
  }

  /**
   * Gives up the current channel: the next send starts a new handshake (the old channel still
   * decrypts what arrives late). The client calls it when the server stopped answering, which
   * is what a restarted server that forgot the channel looks like. Call on the polling thread.
   */
  public void restart() {
    if (current != null) {
      previous = current;
      current = null;
    }
    unansweredSinceMillis = -1;
  }

  /** How many handshakes have completed, rekeys included. Call on the polling thread. */
  public long handshakesCompleted() {
    return handshakesCompleted;
  }

  @Override
  public InetSocketAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public boolean send(ByteBuffer frame, InetSocketAddress target) throws IOException {
    now = clock.getAsLong();
    if (frame.remaining() > ProtocolLimits.MAX_DATAGRAM_BYTES || !target.equals(server)) {
      return false;
    }
    if (current != null && !current.isExpired(now)) {
      if (unansweredSinceMillis < 0) {
        unansweredSinceMillis = now;
      }
      if (pending == null && (now - current.createdMillis >= options.rekeyAfterMillis()
          || current.sentPackets() >= options.rekeyAfterMessages()
          || now - unansweredSinceMillis >= SILENCE_BEFORE_REHANDSHAKE_MILLIS)) {
        startHandshake(new Pending(now, options.initialRetransmitMillis()));
      }
      current.seal(frame, out);
      return delegate.send(out, server);
    }
    if (queue.size() >= MAX_QUEUED_FRAMES) {
      queue.poll();
    }
    byte[] copy = new byte[frame.remaining()];
    frame.get(copy);
    queue.add(copy);
    if (pending == null) {
      startHandshake(new Pending(now, options.initialRetransmitMillis()));
    }
    return true;
  }

  @Override
  public int poll(DatagramHandler handler, long timeoutMillis) throws IOException {
    upstream = handler;
    now = clock.getAsLong();
    long wait = timeoutMillis;
    if (pending != null) {
      wait = Math.max(0, Math.min(wait, pending.retransmitAtMillis - now));
    }
    int received = delegate.poll(this::onPacket, wait);
    now = clock.getAsLong();
    if (pending != null && now >= pending.retransmitAtMillis) {
      if (now - pending.firstAttemptMillis >= options.giveUpAfterMillis()) {
        log.debug("no handshake answer from {}; giving up until the next send", server);
        pending = null;
        queue.clear();
      } else {
        pending.backoffMillis = Math.min(pending.backoffMillis * 2, options.maxRetransmitMillis());
        pending.cookieUsed = false;
        startHandshake(pending);
      }
    }
    return received;
  }

  /** Sends a fresh initiation (new ephemeral key and index) for {@code attempt}. */
  private void startHandshake(Pending attempt) throws IOException {
    pending = attempt;
    do {
      attempt.localIndex = random.nextInt();
    } while (attempt.localIndex == 0); // indexes are nonzero (16.2)
    byte[] index = new byte[Packets.INITIATION_PAYLOAD_BYTES];
    Packets.putInt(index, 0, attempt.localIndex);
    try {
      attempt.handshake = new NoiseNk.Initiator(Packets.PROLOGUE, serverKey, index, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("the pinned server key is not a usable X25519 key", e);
    }
    byte[] message = attempt.handshake.message1();
    byte[] packet = new byte[Packets.INITIATION_BYTES];
    packet[0] = Packets.INITIATION;
    Packets.putInt(packet, Packets.INITIATION_SENDER_OFFSET, attempt.localIndex);
    System.arraycopy(message, 0, packet, Packets.INITIATION_MESSAGE_OFFSET, message.length);
    attempt.mac1 = Packets.mac(mac1Key, packet, Packets.INITIATION_MAC1_OFFSET);
    System.arraycopy(attempt.mac1, 0, packet, Packets.INITIATION_MAC1_OFFSET, Packets.MAC_BYTES);
    if (cookie != null && now - cookieReceivedMillis < CookieMaker.SECRET_LIFETIME_MILLIS) {
      byte[] mac2 = Packets.mac(cookie, packet, Packets.INITIATION_MAC2_OFFSET);
      System.arraycopy(mac2, 0, packet, Packets.INITIATION_MAC2_OFFSET, Packets.MAC_BYTES);
    }
    attempt.retransmitAtMillis = now + attempt.backoffMillis;
    delegate.send(ByteBuffer.wrap(packet), server);
  }

  private void onPacket(ByteBuffer packet, InetSocketAddress from) {
    now = clock.getAsLong();
    if (!from.equals(server) || !packet.hasRemaining()) {
      return;
    }
    try {
      switch (packet.get(packet.position())) {
        case Packets.DATA -> onData(packet, from);
        case Packets.RESPONSE -> onResponse(packet);
        case Packets.COOKIE -> onCookie(packet);
        default -> { } // nothing else is for a client
      }
    } catch (IOException e) {
      log.debug("sending to the server failed: {}", e.toString());
    }
  }

  private void onData(ByteBuffer packet, InetSocketAddress from) {
    int length = packet.remaining();
    if (length < Packets.DATA_HEADER_BYTES + Aead.TAG_BYTES || length > SecureChannel.MAX_PACKET_BYTES) {
      return;
    }
    int index = packet.getInt(packet.position() + Packets.DATA_RECEIVER_OFFSET);
    Channel channel = current != null && current.localIndex == index ? current
        : previous != null && previous.localIndex == index ? previous : null;
    if (channel != null && channel.open(packet, plain, now)) {
      unansweredSinceMillis = -1;
      upstream.onDatagram(plain, from);
    }
  }

  private void onResponse(ByteBuffer packet) throws IOException {
    if (pending == null || packet.remaining() != Packets.RESPONSE_BYTES) {
      return;
    }
    byte[] response = new byte[Packets.RESPONSE_BYTES];
    packet.duplicate().get(response);
    if (Packets.getInt(response, Packets.RESPONSE_RECEIVER_OFFSET) != pending.localIndex) {
      return;
    }
    int localIndex = pending.localIndex;
    int remoteIndex = Packets.getInt(response, Packets.RESPONSE_SENDER_OFFSET);
    if (remoteIndex == 0) {
      return; // indexes are nonzero (16.2)
    }
    // the indexes in clear must be those the handshake authenticates
    NoiseNk.Initiator.Result result = pending.handshake.read(
        Arrays.copyOfRange(response, Packets.RESPONSE_MESSAGE_OFFSET, response.length),
        indexes -> indexes.length == Packets.RESPONSE_PAYLOAD_BYTES
            && Packets.getInt(indexes, 0) == remoteIndex && Packets.getInt(indexes, 4) == localIndex);
    if (result == null) {
      return; // forged or damaged: the handshake waits for the real response
    }
    previous = current;
    current = new Channel(localIndex, remoteIndex, result.ciphers(), now, server);
    pending = null;
    handshakesCompleted++;
    unansweredSinceMillis = -1;
    while (!queue.isEmpty()) {
      current.seal(ByteBuffer.wrap(queue.poll()), out);
      delegate.send(out, server);
    }
  }

  private void onCookie(ByteBuffer packet) throws IOException {
    if (pending == null || pending.cookieUsed || packet.remaining() != Packets.COOKIE_PACKET_BYTES) {
      return;
    }
    byte[] reply = new byte[Packets.COOKIE_PACKET_BYTES];
    packet.duplicate().get(reply);
    if (Packets.getInt(reply, Packets.COOKIE_RECEIVER_OFFSET) != pending.localIndex) {
      return;
    }
    byte[] nonce = Arrays.copyOfRange(reply, Packets.COOKIE_NONCE_OFFSET, Packets.COOKIE_SEALED_OFFSET);
    byte[] sealed = Arrays.copyOfRange(reply, Packets.COOKIE_SEALED_OFFSET, reply.length);
    byte[] opened = CookieSeal.open(cookieKey, nonce, pending.mac1, sealed);
    if (opened == null) {
      return;
    }
    cookie = opened;
    cookieReceivedMillis = now;
    pending.cookieUsed = true;
    startHandshake(pending); // at once, now with a mac2 the loaded server accepts
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
