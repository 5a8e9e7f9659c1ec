package org.p2pchat.protocol.server.internal;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HistoryFlyweight;
import org.p2pchat.protocol.codec.internal.HistoryOkFlyweight;
import org.p2pchat.protocol.codec.internal.LongHistoryOkFlyweight;

/**
 * HISTORY and HISTORY_LONG: reads a page from the store and answers as much of it as one
 * datagram holds, with the cursor that continues after it. The two differ only in how the page
 * is written: HISTORY cuts a long body to one text field, HISTORY_LONG (docs/protocol.md section
 * 23) carries each long message as a stub (its length, no body), which the client completes
 * with MESSAGE_PART. A page may be larger than its request: it goes only to a session's proven
 * address.
 */
final class HistoryHandler implements RequestHandler<HistoryFlyweight> {
  /** Writes a page into the answer. */
  @FunctionalInterface
  private interface PageWriter {
    void write(ByteBuffer out, long requestId, HistoryPage page, boolean before);
  }

  private final ChatStore store;
  private final PageWriter writer;
  private final Exchange.Completion<HistoryPage> pageBefore = (x, page) -> answer(x, page, true);
  private final Exchange.Completion<HistoryPage> pageAfter = (x, page) -> answer(x, page, false);

  private HistoryHandler(ChatStore store, PageWriter writer) {
    this.store = store;
    this.writer = writer;
  }

  /** HISTORY: every body in its one text field. */
  static HistoryHandler plain(ChatStore store) {
    HistoryOkFlyweight ok = new HistoryOkFlyweight();
    return new HistoryHandler(store, (out, id, page, before) ->
        ok.encode(out, id).inReplyTo(FrameType.HISTORY).page(page, before).finish());
  }

  /** HISTORY_LONG: long messages as stubs. */
  static HistoryHandler withLongStubs(ChatStore store) {
    LongHistoryOkFlyweight ok = new LongHistoryOkFlyweight();
    return new HistoryHandler(store, (out, id, page, before) ->
        ok.encode(out, id).inReplyTo(FrameType.HISTORY_LONG).page(page, before).finish());
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
    writer.write(x.answer(), x.requestId(), page, before);
    x.replyUnbounded();
  }
}
