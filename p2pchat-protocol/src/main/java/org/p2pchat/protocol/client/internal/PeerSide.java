package org.p2pchat.protocol.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.CredentialStore;
import org.p2pchat.api.client.PeerClient;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.PeerConnectFlyweight;
import org.p2pchat.protocol.codec.internal.PushPeerFlyweight;
import org.p2pchat.protocol.codec.internal.RelayFlyweight;
import org.p2pchat.protocol.codec.internal.RelayedFlyweight;
import org.p2pchat.protocol.internal.EventLoop;
import org.p2pchat.protocol.peer.internal.PeerFiles;
import org.p2pchat.protocol.peer.internal.PeerPipe;
import org.p2pchat.protocol.peer.internal.Peers;
import org.p2pchat.protocol.peer.internal.SharedSocket;
import org.p2pchat.protocol.secure.internal.NoiseNk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client engine's side of peer to peer (docs/protocol.md sections 25 and 26): the
 * {@link PeerClient} facet, the server's part of the links (PEER_CONNECT and RELAY in the
 * session), the pushes that introduce peers and the relayed packets, and what the links tell
 * the application. The links themselves are {@link Peers}'; files are {@link PeerFiles}'.
 * Everything but the facet's calls runs on the loop.
 */
final class PeerSide implements PeerClient {
  private static final Logger log = LoggerFactory.getLogger(PeerSide.class);

  private final EventLoop loop;
  private final Events events;
  private final ClientSession session;
  private final PushInbox inbox;
  private final ChatListener listener;
  private final InetSocketAddress server;
  private final RoomCalls.Sender inSession;
  private final Peers peers;
  private final PeerFiles files;
  /** The session generation the links belong to (-1: none): they end with it. */
  private long generation = -1;

  private final PushPeerFlyweight pushPeer = new PushPeerFlyweight();
  private final RelayedFlyweight relayed = new RelayedFlyweight();
  private final RelayFlyweight relay = new RelayFlyweight();
  private final PeerConnectFlyweight peerConnect = new PeerConnectFlyweight();
  private final EmptyOkFlyweight emptyOk = new EmptyOkFlyweight();
  private final ByteBuffer relayOut = ByteBuffer.allocate(ProtocolLimits.MAX_DATAGRAM_BYTES);

  /** @param socket the client's shared socket, or null (peers through the relay only) */
  PeerSide(EventLoop loop, Events events, ClientSession session, PushInbox inbox, ChatListener listener,
      InetSocketAddress server, RoomCalls.Sender inSession, ClientConfig config, CredentialStore credentials,
      SharedSocket socket) {
    this.loop = loop;
    this.events = events;
    this.session = session;
    this.inbox = inbox;
    this.listener = listener;
    this.server = server;
    this.inSession = inSession;
    this.peers = new Peers(socket, config.directConnections(), peerKey(credentials),
        config.knownPeersFile().orElse(null), new Rendezvous(), new LinkEvents(), loop::execute, loop::now);
    this.files = new PeerFiles(peers, loop, events::run, listener, session::isOpen);
  }

  /** The device's peer key, kept with its credential so that contacts see the same key each time. */
  private static byte[] peerKey(CredentialStore credentials) {
    try {
      Optional<byte[]> saved = credentials.loadPeerKey();
      if (saved.isPresent()) {
        return saved.get();
      }
    } catch (IOException e) {
      log.warn("the peer key could not be read, so this start makes a new one: {}", e.getMessage());
    }
    byte[] key = NoiseNk.generatePrivateKey();
    try {
      credentials.savePeerKey(key);
    } catch (IOException e) {
      log.warn("the peer key could not be saved: {}", e.getMessage());
    }
    return key;
  }

  // ---------------------------------------------------------------- the facet (any thread)

  @Override
  public CompletableFuture<PeerPath> connect(UserName contact) {
    Objects.requireNonNull(contact, "contact");
    CompletableFuture<PeerPath> result = new CompletableFuture<>();
    boolean queued = loop.tryExecute(() -> {
      if (!session.isOpen()) {
        events.fail(result, new ChatException(ErrorCode.NOT_LOGGED_IN));
        return;
      }
      generation = session.generation();
      peers.connect(contact).whenComplete((path, failure) -> {
        if (failure == null) {
          events.complete(result, path);
        } else {
          events.fail(result, failure);
        }
      });
    });
    if (!queued) {
      result.completeExceptionally(new ChatException(ErrorCode.CLOSED));
    }
    return result;
  }

  @Override
  public CompletableFuture<String> sendFile(UserName contact, Path file) {
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(file, "file");
    if (loop.isClosing()) {
      return CompletableFuture.failedFuture(new ChatException(ErrorCode.CLOSED));
    }
    return files.send(contact, file);
  }

  @Override
  public Optional<PeerPath> path(UserName contact) {
    return peers.path(Objects.requireNonNull(contact, "contact")); // a snapshot: never waits for the loop
  }

  /** This user removed or blocked {@code user} (any thread): the links to them end. */
  void forget(UserName user) {
    loop.tryExecute(() -> peers.forget(user));
  }

  // ---------------------------------------------------------------- the engine's hooks (on the loop)

  void onPushPeer(ByteBuffer frame) throws DecodeException {
    pushPeer.wrap(frame);
    if (!session.isOpen()) {
      return; // not ours to acknowledge: the server retries, then gives up
    }
    inbox.acknowledgeOther(pushPeer.requestId());
    generation = session.generation();
    peers.onIntroduction(pushPeer.linkId(), pushPeer.role() == PushPeerFlyweight.OFFER, UserName.of(pushPeer.peer()),
        pushPeer.deviceId(), pushPeer.staticKey(), pushPeer.direct(), pushPeer.candidates());
  }

  void onRelayed(ByteBuffer frame) throws DecodeException {
    relayed.wrap(frame);
    if (session.isOpen()) {
      peers.onRelayed(relayed.linkId(), frame.duplicate().limit(relayed.payloadOffset() + relayed.payloadLength())
          .position(relayed.payloadOffset()));
    }
  }

  /** A message the server stored: its direct copy goes over any link up to the recipient. */
  void sendChat(UserName recipient, ChatMessage stored, String body) {
    if (ProtocolLimits.utf8Length(body) <= ProtocolLimits.MAX_BODY_BYTES) {
      // a long message has no copy: its push (PUSH_LONG_MESSAGE) is what takes it in
      peers.sendChat(recipient, stored.id(), stored.sentAt().toEpochMilli(), body);
    }
  }

  /** The loop's duty cycle: links end with the session they were made in; timers. */
  void onDuty(long nowMillis) {
    if (generation >= 0 && (!session.isOpen() || session.generation() != generation)) {
      generation = -1;
      peers.sessionEnded(); // the server forgot the links with the session
    }
    peers.onTimer(nowMillis);
  }

  /** The session is about to end: the peers hear it while the relay still carries it. */
  void goodbye() {
    peers.goodbye();
  }

  /** Links held, for the engine's footprint. */
  int links() {
    return peers.size();
  }

  /** The client closes (on the loop): what still waits fails with CLOSED. */
  void close() {
    peers.close();
    files.close();
  }

  /** The server's part of the links: PEER_CONNECT and RELAY in this session. */
  private final class Rendezvous implements Peers.Rendezvous {
    @Override
    public CompletableFuture<Void> connect(long linkId, UserName peer, byte[] staticKey, boolean direct,
        List<InetSocketAddress> candidates) {
      return inSession.request(FrameType.PEER_CONNECT,
          (out, id) -> peerConnect.encode(out, id).token(session.tokenHi(), session.tokenLo())
              .connect(linkId, peer.value(), staticKey, direct, candidates).finish(),
          frame -> {
            emptyOk.wrap(frame);
            return null;
          });
    }

    @Override
    public void relay(long linkId, ByteBuffer packet) {
      if (!session.isOpen() || packet.remaining() > RelayFlyweight.MAX_PAYLOAD_BYTES) {
        return;
      }
      relayOut.clear();
      relay.encode(relayOut, 0).token(session.tokenHi(), session.tokenLo()).relay(linkId, packet).finish();
      relayOut.flip();
      loop.send(relayOut, server);
    }

    @Override
    public boolean inSession() {
      return session.isOpen();
    }
  }

  /** What the links tell the application, on its events thread; chat copies go to the inbox, files to theirs. */
  private final class LinkEvents implements Peers.Listener {
    @Override
    public void pathChanged(UserName peer, long deviceId, PeerPath path) {
      events.run(() -> listener.onPeerPathChanged(peer, deviceId, path));
    }

    @Override
    public void keyChanged(UserName peer, long deviceId, String oldFingerprint, String newFingerprint) {
      log.warn("the key of {}'s device {} changed from {} to {}", peer, deviceId, oldFingerprint, newFingerprint);
      events.run(() -> listener.onPeerKeyChanged(peer, deviceId, oldFingerprint, newFingerprint));
    }

    @Override
    public void chat(UserName peer, long messageId, long sentAtMillis, String body) {
      if (session.isOpen()) {
        inbox.onDirectMessage(ChatMessage.builder().id(messageId).sender(peer).recipient(session.user())
            .body(body).sentAt(Instant.ofEpochMilli(sentAtMillis)).state(DeliveryState.DELIVERED).build());
      }
    }

    @Override
    public void payload(PeerPipe link, UserName peer, long deviceId, ByteBuffer payload) {
      files.onPayload(link, peer, deviceId, payload);
    }

    @Override
    public void linkChanged(PeerPipe link, UserName peer, long deviceId, PeerPath path) {
      files.onLinkChanged(link, peer, deviceId, path);
    }
  }
}
