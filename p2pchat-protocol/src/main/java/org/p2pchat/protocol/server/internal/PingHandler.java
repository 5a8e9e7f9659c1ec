package org.p2pchat.protocol.server.internal;

import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/**
 * PING: keeps the session alive and its address current. Answered at once and not cached: a
 * retransmitted PING does no harm done twice.
 */
final class PingHandler implements RequestHandler<TokenFlyweight> {

  @Override
  public void handle(TokenFlyweight request, Exchange x) {
    if (x.session(request) != null) {
      x.replyEmptyOk(FrameType.PING);
    }
  }
}
