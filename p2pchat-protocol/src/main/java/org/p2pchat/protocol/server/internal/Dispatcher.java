package org.p2pchat.protocol.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.transport.DatagramHandler;
import org.p2pchat.protocol.codec.internal.ErrorFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each datagram by frame type to its handler, through the one flyweight of that type:
 * the server's set of decoders. A malformed frame is answered ERROR, or dropped where an answer
 * would help an attacker; a frame of a type with no handler (an answer or a push, which only the
 * server sends) is dropped. Owned by the loop.
 */
final class Dispatcher implements DatagramHandler {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** A request type's flyweight and handler. */
  private record Route<F extends HeaderFlyweight<F>>(F flyweight, RequestHandler<F> handler) {
    void dispatch(ByteBuffer frame, Exchange x) throws DecodeException {
      handler.handle(flyweight.wrap(frame), x);
    }
  }

  private final Route<?>[] routes = new Route<?>[256];
  private final Exchange exchange;

  Dispatcher(Exchange exchange) {
    this.exchange = exchange;
  }

  /**
   * Routes requests of the flyweight's type to {@code handler}.
   *
   * @return this dispatcher
   */
  <F extends HeaderFlyweight<F>> Dispatcher route(F flyweight, RequestHandler<F> handler) {
    routes[flyweight.type()] = new Route<>(flyweight, handler);
    return this;
  }

  @Override
  public void onDatagram(ByteBuffer frame, InetSocketAddress from) {
    exchange.begin(frame, from);
    int type;
    try {
      type = HeaderFlyweight.readType(frame);
    } catch (DecodeException e) {
      malformed(frame, e);
      return;
    }
    Route<?> route = routes[type];
    if (route == null) {
      return; // an answer or a push, which only the server sends: silence
    }
    try {
      route.dispatch(frame, exchange);
    } catch (DecodeException e) {
      malformed(frame, e);
    } catch (RuntimeException e) {
      log.warn("failed to handle a {} frame from {}: {}", FrameType.name(type), from, e.toString());
      exchange.fail(ErrorCode.INTERNAL, 0);
    }
  }

  /**
   * Answers a malformed frame with the ERROR of its reason (docs/protocol.md section 11), or
   * stays silent: for a datagram shorter than the smallest ERROR or longer than a datagram may
   * be, for a frame of a type that is never answered (PUSH_ACK, and everything the server
   * sends), and for another version's frame too short to carry the answer that lists ours.
   */
  private void malformed(ByteBuffer frame, DecodeException e) {
    int length = frame.remaining();
    if (length < ErrorFlyweight.MIN_FRAME_BYTES || e.reason() == DecodeException.Reason.OVERSIZED) {
      return; // no answer fits, or the datagram is not one a peer may send
    }
    if (e.reason() != DecodeException.Reason.BAD_MAGIC && isNeverAnswered(HeaderFlyweight.typeByte(frame))) {
      return; // an answer to an answer could bounce between two peers forever
    }
    if (e.reason() == DecodeException.Reason.UNSUPPORTED_VERSION) {
      if (length >= ErrorFlyweight.UNSUPPORTED_VERSION_BYTES) {
        exchange.failUnsupportedVersion();
      }
      return;
    }
    exchange.fail(e.code(), 0);
  }

  /** Whether frames of this type byte never get an answer, malformed or not. */
  private static boolean isNeverAnswered(int type) {
    FrameType known = FrameType.ofCode(type);
    return FrameType.isFromServer(type) || (known != null && known.direction() == FrameType.Direction.ACK);
  }
}
