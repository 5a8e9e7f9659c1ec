package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.protocol.secure.internal.NoiseKk;
import org.p2pchat.protocol.secure.internal.NoiseNk;
import org.p2pchat.protocol.secure.internal.PeerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This device's peer links (docs/protocol.md section 25): asks the server for introductions,
 * answers the ones it gets, runs the {@link NoiseKk} handshake over the relay and every
 * candidate address at once, then probes the peer's addresses while the peer probes ours
 * (simultaneous open) and moves the link to the first address whose probe came back. Keepalives
 * hold the NAT bindings; a direct path that stops answering falls back to the relay, which is
 * always there while both sessions are.
 *
 * <p>Packets, direct or inside RELAY/RELAYED: {@code PEER_INITIATION} (0x11), {@code
 * PEER_RESPONSE} (0x12) and {@link PeerChannel#DATA} (0x14), whose sealed payloads start with
 * their own type: probe, probe answer, keepalive, a chat message's direct copy, and the file
 * transfer's types 0x10-0x1f, handed to the {@link Listener}.
 *
 * <p>A device that keeps to the relay ({@code direct} false) sends no address, sends nothing to
 * one, and is given no packet from one (its socket's peer handler is never installed).
 * Used on the client's event loop only.
 */
public final class Peers {
  private static final Logger log = LoggerFactory.getLogger(Peers.class);

  static final byte INITIATION = 0x11;
  static final byte RESPONSE = 0x12;
  /** Opens this side's NAT toward the initiator while its initiation is on the way; ignored on arrival. */
  static final byte PUNCH = 0x13;
  static final int PUNCH_BYTES = 1 + 8;
  static final int INITIATION_BYTES = 1 + 8 + 4 + NoiseNk.messageBytes(4);
  static final int RESPONSE_BYTES = 1 + 8 + 4 + 4 + NoiseNk.messageBytes(8);
  static final byte PROBE = 0x01;
  static final byte PROBE_OK = 0x02;
  static final byte KEEPALIVE = 0x03;
  static final byte CHAT = 0x04;
  /** The sender's session ends: the link with it; the receiver closes it at once. */
  static final byte BYE = 0x05;
  /** A chat copy's fixed fields: type, message id, time. */
  static final int CHAT_HEADER_BYTES = 1 + 8 + 8;

  static final long HANDSHAKE_RETRY_MILLIS = 300;
  static final long HANDSHAKE_GIVE_UP_MILLIS = 10_000;
  /**
   * How long the initiation tries the peer's addresses alone before the relay carries it too:
   * a handshake that works directly leaves the server out entirely; one that cannot costs this
   * much more.
   */
  static final long RELAY_HANDSHAKE_AFTER_MILLIS = 1_000;
  static final long PUNCH_INTERVAL_MILLIS = 100;
  static final long PROBE_INTERVAL_MILLIS = 100;
  static final long PROBE_WINDOW_MILLIS = 4_000;
  static final long PROBE_SLOW_INTERVAL_MILLIS = 300;
  static final long KEEPALIVE_MILLIS = 5_000;
  /** A direct path silent this long is dead, even when idle (three keepalives missed). */
  static final long DIRECT_SILENCE_MILLIS = 15_000;
  /**
   * A direct path that carried data but brought nothing back this long is checked: probed, as
   * ICE checks consent. Not declared dead at once: a chat copy gets no answer, and an idle peer
   * sends its keepalive only every 5 s.
   */
  static final long DIRECT_CHECK_AFTER_MILLIS = 3_000;
  /** A check whose probes bring nothing back this long finds the path dead. */
  static final long DIRECT_CHECK_MILLIS = 1_500;
  static final long CHECK_PROBE_INTERVAL_MILLIS = 300;
  /** A relayed link of two devices that take direct connections probes again this often... */
  static final long REPROBE_MILLIS = 30_000;
  /** ...for this long: a path that came back (a firewall rule lifted, a NAT rebooted) is taken again. */
  static final long REPROBE_WINDOW_MILLIS = 1_000;
  static final long CONNECT_TIMEOUT_MILLIS = 15_000;
  /** A relayed link idle this long sends a keepalive through the relay, so its end can tell it lives. */
  static final long RELAY_KEEPALIVE_MILLIS = 25_000;
  /** A link that heard nothing on any path this long is gone (its peer left without a word). */
  static final long LINK_SILENCE_MILLIS = 60_000;
  static final int MAX_LINKS = 64;
  /** At most this many links to one user's devices; a new one beyond it replaces their oldest. */
  static final int MAX_LINKS_PER_PEER = 8;
  /**
   * Packets to addresses no peer proved it holds (punches, initiations, probes) are paced by a
   * bucket of this many a second, this many at most at once: a hostile contact that lists
   * someone else's addresses as its candidates gets no flood sent there.
   */
  static final int UNPROVEN_PACKETS_PER_SECOND = 100;
  /** The responder punches every 100 ms for its first second, then every 500 ms. */
  static final long PUNCH_SLOW_INTERVAL_MILLIS = 500;
  /** A cached response goes again at most this often (it answers a replayed initiation too). */
  static final long RESPONSE_REPEAT_MILLIS = 300;
  /** How long an offered device waits for the initiation before it gives the link up. */
  static final long RESPONDER_GIVE_UP_MILLIS = HANDSHAKE_GIVE_UP_MILLIS + 5_000;

  private static final byte[] PROLOGUE_PREFIX = "p2pchat peer link v1".getBytes(StandardCharsets.US_ASCII);

  /** The server's side of introductions and the relay. */
  public interface Rendezvous {
    /** Sends PEER_CONNECT; the future completes on any thread. */
    CompletableFuture<Void> connect(long linkId, UserName peer, byte[] staticKey, boolean direct,
        List<InetSocketAddress> candidates);

    /** Sends one packet through the relay (RELAY), best effort. */
    void relay(long linkId, ByteBuffer packet);

    /** Whether the session is open. */
    boolean inSession();
  }

  /** What the links tell the client. */
  public interface Listener {
    /** A link's path changed. */
    void pathChanged(UserName peer, long deviceId, PeerPath path);

    /** The server vouched for a device key other than the one seen before. */
    void keyChanged(UserName peer, long deviceId, String oldFingerprint, String newFingerprint);

    /** A chat message's direct copy arrived, from the peer's device. */
    void chat(UserName peer, long messageId, long sentAtMillis, String body);

    /** A payload of the file transfer (types 0x10-0x1f) arrived on {@code link}, from the peer's device. */
    void payload(PeerPipe link, UserName peer, long deviceId, ByteBuffer payload);

    /** {@code link}'s path changed (to {@code path}; CLOSED when the link ended). */
    default void linkChanged(PeerPipe link, UserName peer, long deviceId, PeerPath path) {}
  }

  private final SharedSocket socket;
  private final boolean direct;
  private final byte[] staticPrivate;
  private final byte[] staticPublic;
  private final Rendezvous server;
  private final Listener listener;
  private final Executor loop;
  private final LongSupplier clock;
  private final SecureRandom random = new SecureRandom();
  private final KnownPeers known;
  private final Map<Long, PeerLink> byId = new LinkedHashMap<>();
  private final Map<Integer, PeerLink> byIndex = new HashMap<>();
  private final Map<UserName, List<CompletableFuture<PeerPath>>> waiting = new HashMap<>();
  private final Map<UserName, Long> waitingUntil = new HashMap<>();
  private final ByteBuffer out = ByteBuffer.allocate(1400);
  private final ByteBuffer plain = ByteBuffer.allocate(1400);
  private final ByteBuffer small = ByteBuffer.allocate(64);
  private long now;
  private double unprovenTokens = UNPROVEN_PACKETS_PER_SECOND;
  private long unprovenRefillMillis;
  /** The best path to each peer, for any thread to read ({@link #path}); written on the loop. */
  private final Map<UserName, PeerPath> paths = new ConcurrentHashMap<>();

  /**
   * @param socket the shared socket, or null when there is none (no direct paths)
   * @param direct whether this device takes direct connections ({@code ClientConfig.directConnections})
   * @param staticPrivate this device's X25519 key
   * @param loop runs tasks on the event loop
   */
  public Peers(SharedSocket socket, boolean direct, byte[] staticPrivate, Rendezvous server, Listener listener,
      Executor loop, LongSupplier clock) {
    this(socket, direct, staticPrivate, null, server, listener, loop, clock);
  }

  /** As above, remembering the contacts' device keys in {@code knownPeersFile} (null: in memory). */
  public Peers(SharedSocket socket, boolean direct, byte[] staticPrivate, Path knownPeersFile,
      Rendezvous server, Listener listener, Executor loop, LongSupplier clock) {
    this.known = knownPeersFile == null ? new KnownPeers() : new KnownPeers(knownPeersFile);
    this.socket = socket;
    this.direct = direct && socket != null;
    this.staticPrivate = staticPrivate.clone();
    this.staticPublic = NoiseNk.publicKey(staticPrivate);
    this.server = server;
    this.listener = listener;
    this.loop = loop;
    this.clock = clock;
    if (this.direct) {
      socket.peerPackets((packet, from) -> onPacket(packet, from, 0));
    }
  }

  /** This device's static public key. */
  public byte[] staticPublicKey() {
    return staticPublic.clone();
  }

  /** Whether this device takes direct connections. */
  public boolean takesDirect() {
    return direct;
  }

  // ---------------------------------------------------------------- asking and answering

  /** Asks for an introduction to {@code peer}'s devices; completes (on the loop) once a link settled. */
  public CompletableFuture<PeerPath> connect(UserName peer) {
    now = clock.getAsLong();
    CompletableFuture<PeerPath> result = new CompletableFuture<>();
    waiting.computeIfAbsent(peer, p -> new ArrayList<>()).add(result);
    waitingUntil.put(peer, now + CONNECT_TIMEOUT_MILLIS);
    server.connect(0, peer, staticPublic, direct, ownCandidates()).whenCompleteAsync((ok, failure) -> {
      if (failure != null) {
        fail(peer, failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
      }
    }, loop);
    return result;
  }

  /** A PUSH_PEER: an offer to answer, or the answer to this device's offer. */
  public void onIntroduction(long linkId, boolean offer, UserName peer, long deviceId, byte[] peerKey,
      boolean peerDirect, List<InetSocketAddress> peerCandidates) {
    now = clock.getAsLong();
    if (byId.containsKey(linkId) || NoiseNk.isWeakPublicKey(peerKey, 0) || (!offer && !waiting.containsKey(peer))) {
      return; // a copy of a push already taken, a key nobody can use, or an answer to nothing asked
    }
    byte[] before = known.see(peer, deviceId, peerKey);
    if (before != null) {
      listener.keyChanged(peer, deviceId, KnownPeers.fingerprint(before), KnownPeers.fingerprint(peerKey));
    }
    List<PeerLink> theirs = new ArrayList<>();
    for (PeerLink old : new ArrayList<>(byId.values())) {
      if (old.peer.equals(peer) && deviceId != 0 && old.deviceId == deviceId) {
        drop(old); // the device's session changed, or it was introduced again: the new link replaces it
      } else if (old.peer.equals(peer)) {
        theirs.add(old);
      }
    }
    for (int i = 0; i <= theirs.size() - MAX_LINKS_PER_PEER; i++) {
      drop(theirs.get(i)); // one contact's links cannot crowd out everyone else's
    }
    if (byId.size() >= MAX_LINKS) {
      return;
    }
    List<InetSocketAddress> candidates = direct && peerDirect ? reachable(peerCandidates) : List.of();
    PeerLink link = new PeerLink(this, linkId, peer, deviceId, peerKey, !offer, candidates, now);
    byId.put(linkId, link);
    if (offer) {
      server.connect(linkId, peer, staticPublic, direct, ownCandidates()).whenCompleteAsync((ok, failure) -> {
        if (failure != null) {
          drop(link);
        }
      }, loop);
      if (!candidates.isEmpty()) {
        link.punchUntilMillis = now + HANDSHAKE_GIVE_UP_MILLIS;
        punch(link);
      }
    } else {
      startHandshake(link);
    }
  }

  private List<InetSocketAddress> ownCandidates() {
    if (!direct) {
      return List.of();
    }
    return Candidates.of(socket.localAddress(), socket.serversOnLoopback());
  }

  /**
   * The candidates this socket can send to: of its family (an IPv4 socket cannot reach an IPv6
   * address, and the send would throw), and never a wildcard, multicast or broadcast address.
   */
  private List<InetSocketAddress> reachable(List<InetSocketAddress> peerCandidates) {
    InetSocketAddress local = socket.localAddress();
    boolean v4Only = local != null && local.getAddress() instanceof Inet4Address;
    List<InetSocketAddress> usable = new ArrayList<>(peerCandidates.size());
    for (InetSocketAddress c : peerCandidates) {
      InetAddress a = c.getAddress();
      boolean broadcast = a instanceof Inet4Address && (a.getAddress()[3] & 0xff) == 255;
      if (a == null || a.isAnyLocalAddress() || a.isMulticastAddress() || broadcast
          || (v4Only && !(a instanceof Inet4Address))) {
        continue;
      }
      usable.add(c);
    }
    return usable;
  }

  // ---------------------------------------------------------------- the handshake

  private void startHandshake(PeerLink link) {
    link.localIndex = newIndex(link);
    byte[] payload = ByteBuffer.allocate(4).putInt(link.localIndex).array();
    try {
      link.handshake = new NoiseKk.Initiator(prologue(link.id), staticPrivate, link.peerKey, payload);
    } catch (GeneralSecurityException e) {
      drop(link);
      return;
    }
    byte[] message = link.handshake.message1();
    link.initiation = ByteBuffer.allocate(INITIATION_BYTES).put(INITIATION).putLong(link.id)
        .putInt(link.localIndex).put(message).array();
    sendHandshake(link, link.initiation);
  }

  /**
   * Sends the initiation to every candidate, and through the relay too once the addresses had
   * their second (or when there are none): the first copy to arrive wins.
   */
  private void sendHandshake(PeerLink link, byte[] packet) {
    for (InetSocketAddress c : link.candidates) {
      sendRaw(ByteBuffer.wrap(packet), c);
    }
    if (link.candidates.isEmpty() || now - link.createdMillis >= RELAY_HANDSHAKE_AFTER_MILLIS) {
      server.relay(link.id, ByteBuffer.wrap(packet));
    }
    link.nextInitiationMillis = now + HANDSHAKE_RETRY_MILLIS;
  }

  /** The responder's punches: its NAT then lets the initiator's packets in (simultaneous open). */
  private void punch(PeerLink link) {
    small.clear();
    small.put(PUNCH).putLong(link.id).flip();
    for (InetSocketAddress c : link.candidates) {
      sendRaw(small.duplicate(), c);
    }
    link.nextPunchMillis = now + (now - link.createdMillis < 1_000 ? PUNCH_INTERVAL_MILLIS : PUNCH_SLOW_INTERVAL_MILLIS);
  }

  private int newIndex(PeerLink link) {
    int index;
    do {
      index = random.nextInt();
    } while (index == 0 || byIndex.containsKey(index));
    byIndex.put(index, link);
    return index;
  }

  private static byte[] prologue(long linkId) {
    return ByteBuffer.allocate(PROLOGUE_PREFIX.length + 8).put(PROLOGUE_PREFIX).putLong(linkId).array();
  }

  // ---------------------------------------------------------------- packets in

  /** A RELAYED frame's packet, from the other end of {@code linkId}. */
  public void onRelayed(long linkId, ByteBuffer packet) {
    onPacket(packet, null, linkId);
  }

  /**
   * A peer packet, from {@code from} directly or (null) through the relay on link
   * {@code relayLinkId}. Whatever does not authenticate is dropped without a word.
   */
  private void onPacket(ByteBuffer packet, InetSocketAddress from, long relayLinkId) {
    now = clock.getAsLong();
    if (!packet.hasRemaining() || !server.inSession()) {
      return;
    }
    int at = packet.position();
    switch (packet.get(at)) {
      case INITIATION -> onInitiation(packet, at, from, relayLinkId);
      case RESPONSE -> onResponse(packet, at, from, relayLinkId);
      case PeerChannel.DATA -> onData(packet, at, from, relayLinkId);
      default -> { } // not ours: a stray datagram
    }
  }

  private void onInitiation(ByteBuffer packet, int at, InetSocketAddress from, long relayLinkId) {
    if (packet.remaining() != INITIATION_BYTES) {
      return;
    }
    long linkId = packet.getLong(at + 1);
    PeerLink link = byId.get(linkId);
    if (link == null || link.initiator || (from == null && linkId != relayLinkId)) {
      return;
    }
    int senderIndex = packet.getInt(at + 9);
    if (senderIndex == 0) {
      return;
    }
    if (link.response != null && link.remoteIndex == senderIndex) {
      if (now - link.lastResponseMillis >= RESPONSE_REPEAT_MILLIS) {
        link.lastResponseMillis = now;
        reply(link.response, from, link); // our response was lost: the same again, no new keys
      }
      return;
    }
    byte[] message1 = new byte[INITIATION_BYTES - 13];
    packet.get(at + 13, message1);
    int localIndex = newIndex(link);
    byte[] payload = ByteBuffer.allocate(8).putInt(localIndex).putInt(senderIndex).array();
    NoiseKk.Response r = NoiseKk.respond(prologue(linkId), staticPrivate, link.peerKey, message1,
        p -> p.length == 4 && ByteBuffer.wrap(p).getInt() == senderIndex, payload);
    if (r == null) {
      byIndex.remove(localIndex);
      return;
    }
    if (link.channel != null) {
      byIndex.remove(link.localIndex); // the peer started again (it restarted): the new channel replaces the old
    }
    link.localIndex = localIndex;
    link.remoteIndex = senderIndex;
    link.response = ByteBuffer.allocate(RESPONSE_BYTES).put(RESPONSE).putLong(linkId).putInt(localIndex)
        .putInt(senderIndex).put(r.message()).array();
    link.channel = new PeerChannel(localIndex, senderIndex, r.ciphers());
    link.lastResponseMillis = now;
    reply(link.response, from, link);
    channelUp(link);
  }

  private void reply(byte[] packet, InetSocketAddress from, PeerLink link) {
    if (from == null) {
      server.relay(link.id, ByteBuffer.wrap(packet));
    } else {
      sendRaw(ByteBuffer.wrap(packet), from);
    }
  }

  private void onResponse(ByteBuffer packet, int at, InetSocketAddress from, long relayLinkId) {
    if (packet.remaining() != RESPONSE_BYTES) {
      return;
    }
    long linkId = packet.getLong(at + 1);
    PeerLink link = byId.get(linkId);
    if (link == null || !link.initiator || link.handshake == null || (from == null && linkId != relayLinkId)) {
      return;
    }
    int senderIndex = packet.getInt(at + 9);
    if (senderIndex == 0 || packet.getInt(at + 13) != link.localIndex) {
      return;
    }
    byte[] message2 = new byte[RESPONSE_BYTES - 17];
    packet.get(at + 17, message2);
    int localIndex = link.localIndex;
    NoiseKk.Initiator.Result result = link.handshake.read(message2,
        p -> p.length == 8 && ByteBuffer.wrap(p).getInt() == senderIndex && ByteBuffer.wrap(p).getInt(4) == localIndex);
    if (result == null) {
      return;
    }
    link.handshake = null;
    link.initiation = null;
    link.remoteIndex = senderIndex;
    link.channel = new PeerChannel(localIndex, senderIndex, result.ciphers());
    channelUp(link);
  }

  private void onData(ByteBuffer packet, int at, InetSocketAddress from, long relayLinkId) {
    if (packet.remaining() < PeerChannel.OVERHEAD) {
      return;
    }
    PeerLink link = byIndex.get(packet.getInt(at + 1));
    if (link == null || link.channel == null || (from == null && link.id != relayLinkId)
        || link.channel.localIndex() != packet.getInt(at + 1) || !link.channel.open(packet, plain)) {
      return;
    }
    link.lastReceivedMillis = now;
    if (from != null) {
      link.lastDirectReceivedMillis = now;
      if (link.direct != null && !from.equals(link.direct)) {
        link.direct = from; // the peer's NAT rebound: authenticated and not a replay, so it is there now
      }
    }
    onPayload(link, plain, from);
  }

  private void onPayload(PeerLink link, ByteBuffer payload, InetSocketAddress from) {
    if (!payload.hasRemaining()) {
      return;
    }
    byte type = payload.get(payload.position());
    switch (type) {
      case PROBE -> {
        if (from != null && payload.remaining() == 9) {
          small.clear();
          small.put(PROBE_OK).putLong(payload.getLong(payload.position() + 1)).flip();
          sendDirect(link, small, from);
          if (link.direct == null && link.probeUntilMillis == 0 && now >= link.nextAnsweredProbeMillis) {
            link.nextAnsweredProbeMillis = now + REPROBE_MILLIS; // at most once a window, however often asked
            probe(link, from); // the peer reached us from there: try it at once, and its other addresses
            startProbing(link, REPROBE_WINDOW_MILLIS);
          } else if (link.direct == null && link.probeUntilMillis > 0) {
            probe(link, from);
          }
        }
      }
      case PROBE_OK -> {
        if (from != null && payload.remaining() == 9 && link.direct == null
            && payload.getLong(payload.position() + 1) == link.probeNonce) {
          link.direct = from;
          link.lastDirectReceivedMillis = now;
          link.lastDirectSentMillis = now;
          link.probeUntilMillis = 0;
          report(link);
        }
      }
      case KEEPALIVE -> { }
      case CHAT -> onChat(link, payload);
      case BYE -> {
        if (payload.remaining() == 1) {
          drop(link);
        }
      }
      default -> {
        if (type >= 0x10 && type <= 0x1f) {
          listener.payload(link, link.peer, link.deviceId, payload);
        }
      }
    }
  }

  private void onChat(PeerLink link, ByteBuffer payload) {
    int at = payload.position();
    if (payload.remaining() < CHAT_HEADER_BYTES + 1
        || payload.remaining() > CHAT_HEADER_BYTES + ProtocolLimits.MAX_BODY_BYTES) {
      return; // a body of 1 to 1000 bytes, as SEND's
    }
    long id = payload.getLong(at + 1);
    long sentAt = payload.getLong(at + 9);
    if (id <= 0 || sentAt < 0) {
      return;
    }
    String body;
    try {
      body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(payload.duplicate().position(at + CHAT_HEADER_BYTES)).toString();
    } catch (CharacterCodingException e) {
      return;
    }
    listener.chat(link.peer, id, sentAt, body);
  }

  // ---------------------------------------------------------------- paths

  private void channelUp(PeerLink link) {
    link.lastReceivedMillis = now;
    link.lastSentMillis = now;
    if (direct && !link.candidates.isEmpty()) {
      link.probeNonce = random.nextLong();
      startProbing(link, PROBE_WINDOW_MILLIS);
    } else {
      report(link); // one side keeps to the relay: no address to try
    }
  }

  private void startProbing(PeerLink link, long windowMillis) {
    link.probeStartMillis = now;
    link.probeUntilMillis = now + windowMillis;
    probeAll(link);
  }

  /** Probes every candidate: every 100 ms in a window's first second, then every 300 ms. */
  private void probeAll(PeerLink link) {
    for (InetSocketAddress c : link.candidates) {
      probe(link, c);
    }
    link.nextProbeMillis = now + (now - link.probeStartMillis < 1_000 ? PROBE_INTERVAL_MILLIS : PROBE_SLOW_INTERVAL_MILLIS);
  }

  private void probe(PeerLink link, InetSocketAddress to) {
    small.clear();
    small.put(PROBE).putLong(link.probeNonce).flip();
    sendDirect(link, small, to);
  }

  /** Tells the listener of a settled path once, and completes the waiting connects. */
  private void report(PeerLink link) {
    PeerPath path = link.path();
    if (path == null || path == link.reported || link.isProbing(now)) {
      return;
    }
    link.reported = path;
    if (path == PeerPath.RELAYED) {
      link.nextReprobeMillis = now + REPROBE_MILLIS;
    }
    updatePath(link.peer);
    listener.pathChanged(link.peer, link.deviceId, path);
    listener.linkChanged(link, link.peer, link.deviceId, path);
    List<CompletableFuture<PeerPath>> futures = waiting.remove(link.peer);
    waitingUntil.remove(link.peer);
    if (futures != null) {
      for (CompletableFuture<PeerPath> f : futures) {
        f.complete(path);
      }
    }
  }

  /** The timers: handshake retries, probes, keepalives, dead paths, connects that waited too long. */
  public void onTimer(long nowMillis) {
    now = nowMillis;
    if (byId.isEmpty() && waitingUntil.isEmpty()) {
      return;
    }
    for (Iterator<PeerLink> it = byId.values().iterator(); it.hasNext(); ) {
      PeerLink link = it.next();
      if (link.channel == null) {
        if (now - link.createdMillis >= (link.initiator ? HANDSHAKE_GIVE_UP_MILLIS : RESPONDER_GIVE_UP_MILLIS)) {
          it.remove();
          byIndex.remove(link.localIndex);
        } else if (link.initiator && link.initiation != null && now >= link.nextInitiationMillis) {
          sendHandshake(link, link.initiation);
        } else if (!link.initiator && now < link.punchUntilMillis && now >= link.nextPunchMillis) {
          punch(link);
        }
        continue;
      }
      if (now - link.lastReceivedMillis >= LINK_SILENCE_MILLIS) {
        it.remove();
        byIndex.remove(link.localIndex);
        updatePath(link.peer);
        if (link.reported != null) {
          link.reported = PeerPath.CLOSED;
          listener.pathChanged(link.peer, link.deviceId, PeerPath.CLOSED);
          listener.linkChanged(link, link.peer, link.deviceId, PeerPath.CLOSED);
        }
        continue;
      }
      if (link.direct == null) {
        if (link.probeUntilMillis == 0 && now - link.lastSentMillis >= RELAY_KEEPALIVE_MILLIS) {
          small.clear();
          small.put(KEEPALIVE).flip();
          sendOn(link, small);
        }
        if (link.probeUntilMillis > 0) {
          if (now >= link.probeUntilMillis) {
            link.probeUntilMillis = 0;
            report(link); // no address answered: the relay it is
          } else if (now >= link.nextProbeMillis) {
            probeAll(link);
          }
        } else if (direct && !link.candidates.isEmpty() && link.reported == PeerPath.RELAYED
            && now >= link.nextReprobeMillis) {
          link.nextReprobeMillis = now + REPROBE_MILLIS;
          startProbing(link, REPROBE_WINDOW_MILLIS);
        }
        continue;
      }
      if (link.checkSinceMillis >= 0 && link.lastDirectReceivedMillis >= link.checkSinceMillis) {
        link.checkSinceMillis = -1; // the path answered
      }
      if (link.checkSinceMillis < 0 && link.lastDirectDataSentMillis > link.lastDirectReceivedMillis
          && now - link.lastDirectReceivedMillis >= DIRECT_CHECK_AFTER_MILLIS) {
        link.checkSinceMillis = now; // data went out and nothing came back: is the path still there?
        link.nextProbeMillis = now;
      }
      boolean silent = now - link.lastDirectReceivedMillis >= DIRECT_SILENCE_MILLIS;
      boolean failedCheck = link.checkSinceMillis >= 0 && now - link.checkSinceMillis >= DIRECT_CHECK_MILLIS;
      if (silent || failedCheck) {
        log.debug("the direct path to {} went quiet; back to the relay", link.peer);
        link.direct = null;
        link.checkSinceMillis = -1;
        report(link);
      } else if (link.checkSinceMillis >= 0 && now >= link.nextProbeMillis) {
        probe(link, link.direct);
        link.nextProbeMillis = now + CHECK_PROBE_INTERVAL_MILLIS;
      } else if (now - link.lastDirectSentMillis >= KEEPALIVE_MILLIS) {
        small.clear();
        small.put(KEEPALIVE).flip();
        sendDirect(link, small, link.direct);
      }
    }
    for (Iterator<Map.Entry<UserName, Long>> it = waitingUntil.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<UserName, Long> e = it.next();
      if (now >= e.getValue()) {
        it.remove();
        List<CompletableFuture<PeerPath>> futures = waiting.remove(e.getKey());
        if (futures != null) {
          for (CompletableFuture<PeerPath> f : futures) {
            f.completeExceptionally(new ChatException(ErrorCode.TIMEOUT, "no device of " + e.getKey() + " answered"));
          }
        }
      }
    }
  }

  private void fail(UserName peer, Throwable failure) {
    waitingUntil.remove(peer);
    List<CompletableFuture<PeerPath>> futures = waiting.remove(peer);
    if (futures != null) {
      for (CompletableFuture<PeerPath> f : futures) {
        f.completeExceptionally(failure);
      }
    }
  }

  private void drop(PeerLink link) {
    byId.remove(link.id);
    byIndex.remove(link.localIndex);
    updatePath(link.peer);
    if (link.reported != null && link.reported != PeerPath.CLOSED) {
      link.reported = PeerPath.CLOSED;
      listener.pathChanged(link.peer, link.deviceId, PeerPath.CLOSED);
      listener.linkChanged(link, link.peer, link.deviceId, PeerPath.CLOSED);
    }
  }

  /**
   * Tells every peer that this device's links end (the session is about to), so that they stop
   * using them at once rather than after their silence timeouts; then drops them. Call while the
   * session is still open, so that relayed links hear it too.
   */
  public void goodbye() {
    now = clock.getAsLong();
    for (PeerLink link : new ArrayList<>(byId.values())) {
      if (link.channel != null) {
        small.clear();
        small.put(BYE).flip();
        sendOn(link, small);
      }
      drop(link);
    }
  }

  /** The server session ended: its links end with it (the server forgot them). */
  public void sessionEnded() {
    now = clock.getAsLong();
    for (PeerLink link : new ArrayList<>(byId.values())) {
      if (link.channel != null && link.direct != null) {
        small.clear();
        small.put(BYE).flip();
        sendOn(link, small); // the relay is gone with the session; a direct path still carries it
      }
      drop(link);
    }
    byIndex.clear();
    for (UserName peer : new ArrayList<>(waiting.keySet())) {
      fail(peer, new ChatException(ErrorCode.NOT_LOGGED_IN, "the session ended"));
    }
  }

  // ---------------------------------------------------------------- packets out

  /**
   * The best path to {@code peer}'s devices: DIRECT if any link is, else RELAYED if any is up.
   * Thread-safe: a snapshot the loop keeps as paths change.
   */
  public Optional<PeerPath> path(UserName peer) {
    return Optional.ofNullable(paths.get(peer));
  }

  /** Recomputes {@code peer}'s entry of the snapshot {@link #path} reads; on the loop. */
  private void updatePath(UserName peer) {
    PeerPath best = null;
    for (PeerLink link : byId.values()) {
      if (link.peer.equals(peer) && link.reported != null && link.reported != PeerPath.CLOSED && link.path() != null) {
        best = link.path() == PeerPath.DIRECT || best == null ? link.path() : best;
      }
    }
    if (best == null) {
      paths.remove(peer);
    } else {
      paths.put(peer, best);
    }
  }

  /** The settled link to {@code peer} that is best now (direct first), or null. */
  public PeerPipe pipeTo(UserName peer) {
    PeerLink best = null;
    for (PeerLink link : byId.values()) {
      if (link.peer.equals(peer) && link.reported != null && link.channel != null
          && (best == null || (best.direct == null && link.direct != null))) {
        best = link;
      }
    }
    return best;
  }

  /** The device at the other end of {@code pipe}, one of this object's links. */
  public long deviceOf(PeerPipe pipe) {
    return ((PeerLink) pipe).deviceId;
  }

  /** Sends a stored message's direct copy over every link up to {@code recipient}'s devices. */
  public void sendChat(UserName recipient, long messageId, long sentAtMillis, String body) {
    now = clock.getAsLong();
    byte[] text = null;
    for (PeerLink link : byId.values()) {
      if (!link.peer.equals(recipient) || link.channel == null) {
        continue;
      }
      if (text == null) {
        text = body.getBytes(StandardCharsets.UTF_8);
        if (text.length > ProtocolLimits.MAX_BODY_BYTES) {
          return; // a long message goes by the server only
        }
      }
      ByteBuffer payload = ByteBuffer.allocate(CHAT_HEADER_BYTES + text.length);
      payload.put(CHAT).putLong(messageId).putLong(sentAtMillis).put(text).flip();
      sendOn(link, payload);
    }
  }

  /** Seals {@code payload} on {@code link} and sends it on the link's path. */
  boolean sendOn(PeerLink link, ByteBuffer payload) {
    if (link.channel == null || payload.remaining() > PeerPipe.MAX_PAYLOAD_BYTES || !byId.containsKey(link.id)) {
      return false;
    }
    now = clock.getAsLong();
    link.lastSentMillis = now;
    if (link.direct != null) {
      byte type = payload.get(payload.position());
      if (type != KEEPALIVE && type != PROBE && type != PROBE_OK) {
        link.lastDirectDataSentMillis = now;
      }
      return sendDirect(link, payload, link.direct);
    }
    if (!link.channel.seal(payload, out)) {
      return false;
    }
    server.relay(link.id, out);
    return true;
  }

  private boolean sendDirect(PeerLink link, ByteBuffer payload, InetSocketAddress to) {
    if (!direct || !link.channel.seal(payload, out)) {
      return false;
    }
    if (to.equals(link.direct)) {
      link.lastDirectSentMillis = now;
    }
    return sendRaw(out, to);
  }

  private boolean sendRaw(ByteBuffer packet, InetSocketAddress to) {
    if (!direct || socket.isServer(to)) {
      return false; // never a peer packet to the server's own address: it would take it for its channel
    }
    if (!isProven(to) && !takeUnproven()) {
      return false; // paced: see UNPROVEN_PACKETS_PER_SECOND
    }
    try {
      return socket.send(packet, to);
    } catch (IOException | RuntimeException e) {
      // An address this socket cannot reach (another family, a network down): a lost packet, never the loop's end.
      log.debug("a packet to a peer at {} could not be sent: {}", to, e.toString());
      return false;
    }
  }

  /** Whether some link's peer proved it is at {@code to} (a probe came back from there). */
  private boolean isProven(InetSocketAddress to) {
    for (PeerLink link : byId.values()) {
      if (to.equals(link.direct)) {
        return true;
      }
    }
    return false;
  }

  private boolean takeUnproven() {
    unprovenTokens = Math.min(UNPROVEN_PACKETS_PER_SECOND,
        unprovenTokens + (now - unprovenRefillMillis) * UNPROVEN_PACKETS_PER_SECOND / 1000.0);
    unprovenRefillMillis = now;
    if (unprovenTokens < 1) {
      return false;
    }
    unprovenTokens--;
    return true;
  }

  /** The client closes: every connect still waiting fails with CLOSED. */
  public void close() {
    for (UserName peer : new ArrayList<>(waiting.keySet())) {
      fail(peer, new ChatException(ErrorCode.CLOSED));
    }
  }

  /** Ends the links to {@code peer} (this user blocked or removed them), telling the peer. */
  public void forget(UserName peer) {
    now = clock.getAsLong();
    for (PeerLink link : new ArrayList<>(byId.values())) {
      if (link.peer.equals(peer)) {
        if (link.channel != null) {
          small.clear();
          small.put(BYE).flip();
          sendOn(link, small);
        }
        drop(link);
      }
    }
  }

  /** Whether {@code pipe} is one of the links held now. */
  public boolean isLive(PeerPipe pipe) {
    return pipe instanceof PeerLink link && byId.get(link.id) == link;
  }

  /** The settled link to {@code peer}'s device {@code deviceId}, or null. */
  public PeerPipe pipeTo(UserName peer, long deviceId) {
    for (PeerLink link : byId.values()) {
      if (link.peer.equals(peer) && link.deviceId == deviceId && link.reported != null && link.channel != null) {
        return link;
      }
    }
    return null;
  }

  /** Links held, for tests and bounds. */
  public int size() {
    return byId.size();
  }
}
