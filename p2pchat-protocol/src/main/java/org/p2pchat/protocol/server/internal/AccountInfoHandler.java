package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.AccountOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/** ACCOUNT_INFO (docs/protocol.md section 22): the session's account, its name and creation time. */
final class AccountInfoHandler implements RequestHandler<TokenFlyweight> {
  private final ChatStore store;
  private final AccountOkFlyweight ok = new AccountOkFlyweight();

  AccountInfoHandler(ChatStore store) {
    this.store = store;
  }

  @Override
  public void handle(TokenFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    UserName name = session.user;
    x.completeLater(store.findUser(name), (done, user) -> {
      if (user.isEmpty()) {
        done.replyError(ErrorCode.NOT_LOGGED_IN); // deleted meanwhile
        return;
      }
      ok.encode(done.answer(), done.requestId()).inReplyTo(FrameType.ACCOUNT_INFO)
          .account(user.get().createdAt().toEpochMilli(), user.get().name().value()).finish();
      done.reply();
    });
  }
}
