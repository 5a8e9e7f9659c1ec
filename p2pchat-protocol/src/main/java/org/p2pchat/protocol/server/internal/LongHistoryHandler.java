package org.p2pchat.protocol.server.internal;

import java.util.Optional;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.LongHistoryOkFlyweight;

/**
 * HISTORY_LONG (docs/protocol.md section 23): HISTORY whose page carries each long message as a
 * stub (its length, no body), which the client completes with MESSAGE_PART.
 */
final class LongHistoryHandler implements RequestHandler<HistoryFlyweight> {
  private final ChatStore store;
  private final LongHistoryOkFlyweight historyOk = new LongHistoryOkFlyweight();
  private final Exchange.Completion<HistoryPage> pageBefore = (x, page) -> answer(x, page, true);
  private final Exchange.Completion<HistoryPage> pageAfter = (x, page) -> answer(x, page, false);

  LongHistoryHandler(ChatStore store) {
    this.store = store;
  }

  @Override
  public void handle(HistoryFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    HistoryQuery query = HistoryQuery.builder()
        .peer(Optional.ofNullable(request.peer()).map(UserName::of))
        .unreadOnly(request.unreadOnly())
        .direction(request.after() ? HistoryQuery.Direction.AFTER : HistoryQuery.Direction.BEFORE)
        .cursor(request.cursor())
        .limit(request.pageLimit())
        .build();
    x.completeLater(store.history(session.user, query), request.after() ? pageAfter : pageBefore);
  }

  private void answer(Exchange x, HistoryPage page, boolean before) {
    historyOk.encode(x.answer(), x.requestId()).inReplyTo(FrameType.HISTORY_LONG).page(page, before).finish();
    x.replyUnbounded();
  }
}
