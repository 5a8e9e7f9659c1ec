package org.p2pchat.protocol.server.internal;

import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/** LOGOUT: ends the session at once. */
final class LogoutHandler implements RequestHandler<TokenFlyweight> {
  private final SessionTable sessions;

  LogoutHandler(SessionTable sessions) {
    this.sessions = sessions;
  }

  @Override
  public void handle(TokenFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null) {
      return;
    }
    sessions.close(session);
    x.replyEmptyOk(FrameType.LOGOUT);
  }
}
