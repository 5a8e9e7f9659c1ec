package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.PeerConnectFlyweight;
import org.p2pchat.protocol.codec.internal.PeerWire;
import org.p2pchat.protocol.codec.internal.PushPeerFlyweight;

/**
 * PEER_CONNECT (docs/protocol.md section 25). With link id 0, the caller asks to be introduced
 * to a user: once the store says they are mutual contacts and the user does not hide their
 * presence, each of the user's online devices here gets a new link and a PUSH_PEER offer with
 * the caller's key and candidates, and the caller an OK. With a link id, a device answers the
 * offer it got: the offerer gets a PUSH_PEER answer. Anything else is PEER_UNAVAILABLE, the same
 * for a stranger, a hidden user, an offline one and a wrong link, so that nobody learns more
 * than their contact list already shows.
 *
 * <p>Addresses: a device that does not take direct connections sends none, and the server adds
 * none for it; one that does gets the address the server sees in front of its own.
 */
final class PeerConnectHandler implements RequestHandler<PeerConnectFlyweight> {
  /**
   * A session asks for at most this many introductions a window; beyond, RATE_LIMITED: each one
   * sets the other user's devices punching and probing, which must not become a flood.
   */
  static final int INTRODUCTIONS_PER_WINDOW = 10;
  static final long INTRODUCTION_WINDOW_MILLIS = 10_000;

  private final ContactStore contacts;
  private final SessionTable sessions;
  private final Pushes pushes;
  private final PeerLinks links;
  private final long onlineWindowMillis;
  private final PushPeerFlyweight push = new PushPeerFlyweight();
  private final ByteBuffer pushBuffer = ByteBuffer.allocate(1200);

  PeerConnectHandler(ContactStore contacts, SessionTable sessions, Pushes pushes, PeerLinks links,
      long onlineWindowMillis) {
    this.contacts = contacts;
    this.sessions = sessions;
    this.pushes = pushes;
    this.links = links;
    this.onlineWindowMillis = onlineWindowMillis;
  }

  @Override
  public void handle(PeerConnectFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    PeerLinks.Offer offer = offerOf(request, session);
    UserName peer = UserName.of(request.peer());
    long linkId = request.linkId();
    if (linkId != 0) {
      answer(linkId, peer, session, offer, x);
      return;
    }
    if (peer.equals(session.user)) {
      x.replyError(ErrorCode.PEER_UNAVAILABLE);
      return;
    }
    if (x.now() - session.introductionWindowStartMillis >= INTRODUCTION_WINDOW_MILLIS) {
      session.introductionWindowStartMillis = x.now();
      session.introductions = 0;
    }
    if (++session.introductions > INTRODUCTIONS_PER_WINDOW) {
      x.fail(ErrorCode.RATE_LIMITED, session.introductionWindowStartMillis + INTRODUCTION_WINDOW_MILLIS - x.now());
      return;
    }
    CompletableFuture<Boolean> mayMeet = contacts.contacts(session.user)
        .thenCombine(contacts.presenceHidden(peer),
            (list, hidden) -> !hidden && list.stream().anyMatch(c -> c.name().equals(peer) && c.mutual()));
    x.completeLater(mayMeet, (later, ok) -> introduce(ok, peer, session, offer, later));
  }

  private void introduce(boolean mayMeet, UserName peer, Session session, PeerLinks.Offer offer, Exchange x) {
    List<Session> devices = mayMeet && !session.closed ? sessions.online(peer, x.now(), onlineWindowMillis) : List.of();
    if (devices.isEmpty()) {
      x.replyError(ErrorCode.PEER_UNAVAILABLE);
      return;
    }
    for (Session device : devices) {
      PeerLinks.Link link = links.open(session, device, offer);
      pushPeer(device, link.id, PushPeerFlyweight.OFFER, session, offer);
    }
    x.replyEmptyOk(FrameType.PEER_CONNECT);
  }

  private void answer(long linkId, UserName peer, Session session, PeerLinks.Offer offer, Exchange x) {
    PeerLinks.Link link = links.find(linkId);
    if (link == null || link.answerer != session || !link.offerer.user.equals(peer)) {
      x.replyError(ErrorCode.PEER_UNAVAILABLE);
      return;
    }
    link.answer = offer;
    pushPeer(link.offerer, link.id, PushPeerFlyweight.ANSWER, session, offer);
    x.replyEmptyOk(FrameType.PEER_CONNECT);
  }

  /** What the device said of itself, with the address the server sees first when it takes direct connections. */
  private static PeerLinks.Offer offerOf(PeerConnectFlyweight request, Session session) {
    if (!request.direct()) {
      return new PeerLinks.Offer(request.staticKey(), false, List.of());
    }
    List<InetSocketAddress> candidates = new ArrayList<>(PeerWire.MAX_CANDIDATES);
    candidates.add(session.address);
    for (InetSocketAddress c : request.candidates()) {
      if (candidates.size() < PeerWire.MAX_CANDIDATES && !candidates.contains(c)) {
        candidates.add(c);
      }
    }
    return new PeerLinks.Offer(request.staticKey(), true, candidates);
  }

  private void pushPeer(Session target, long linkId, int role, Session about, PeerLinks.Offer offer) {
    pushBuffer.clear();
    push.encode(pushBuffer, 0)
        .peer(linkId, role, about.user.value(), about.deviceId, offer.staticKey(), offer.direct(), offer.candidates())
        .finish();
    byte[] frame = new byte[pushBuffer.position()];
    pushBuffer.flip().get(frame);
    pushes.pushFrame(target, frame);
  }
}
