package org.p2pchat.protocol.client.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.client.ChatClient;

/**
 * One {@link ChatClient#readHistory(HistoryQuery, int)}: many history pages at once, with the
 * {@code HISTORY} requests there are (docs/protocol.md section 10), as the export does (section
 * 22.3).
 *
 * <p>A page holds what fits one datagram, about nine messages of 100 bytes, and each page's cursor
 * comes from the one before, so reading page after page costs a round trip per page. Instead the
 * reader reads the first page from the query's cursor, estimates from it how densely the user's
 * messages lie among the ids, and cuts the ids beyond it, in the query's direction, into spans
 * sized to hold about {@link #SPAN_MESSAGES} messages each; as each span ends, the ones still to
 * open are resized by how many it held (at most fourfold a step), as the density changes along
 * the history. Up to {@link #WINDOW} spans are read
 * at once, each page by page in the query's direction from the span's start, dropping what lies
 * past its end, asking for about as many entries as its last page held. In direction {@code
 * AFTER} the reader first learns the newest id (a {@code BEFORE} page from cursor 0, limit 1) and
 * leaves the last span open-ended, so messages stored meanwhile are read as page after page would.
 *
 * <p>The spans, in the query's direction, form the answer: it is done when the spans read from
 * the start without a gap hold {@code maxMessages}, or when the history ends (a page with no next
 * cursor: nothing lies beyond it, so the later spans are empty). A span that is not the oldest
 * unfinished one (the head) stops reading once all spans together hold {@code maxMessages}, and
 * no span opens then, so memory stays bounded by {@code maxMessages} plus a page per span in
 * flight. Any failed page fails the whole read.
 *
 * <p>State is guarded by {@code this}: answers complete on the client's event thread, a failure
 * may complete on the caller's.
 */
final class HistoryReader {
  /** Spans read at once. */
  static final int WINDOW = 16;
  /** Messages a span is sized to hold, from the first page's density. */
  static final int SPAN_MESSAGES = 256;
  /** The widest span, far from overflowing a {@code long} when added to an id. */
  private static final long MAX_WIDTH = Long.MAX_VALUE / 4;
  /** Entries the first page asks for: the most a HISTORY may. */
  private static final int PAGE = HistoryQuery.MAX_LIMIT;

  private final ChatClient client;
  private final HistoryQuery from;
  private final boolean after;
  private final int maxMessages;
  private final CompletableFuture<List<ChatMessage>> result = new CompletableFuture<>();

  /** The first page's messages, in the query's direction (newest first for BEFORE). */
  private final List<ChatMessage> first = new ArrayList<>();
  /** Spans in the query's direction; none removed until the end. */
  private final List<Span> spans = new ArrayList<>();
  /** The index of the oldest unfinished span. */
  private int head;
  /** The index of the span whose page said the history ends there; later spans are empty. */
  private int end = Integer.MAX_VALUE;
  /** Whether no span is left to open. */
  private boolean opened;
  /** The exclusive start of the next span. */
  private long next;
  /** Ids per span. */
  private long width;
  /** AFTER: the newest id learned at the start; the span reaching it is open-ended. */
  private long newest;
  /** The limit a new span asks for first. */
  private int firstLimit;
  /** Messages held in spans. */
  private int held;
  /** Spans opened and not done. */
  private int reading;

  /**
   * A read, not started.
   *
   * @throws NullPointerException when {@code from} is null
   * @throws IllegalArgumentException when {@code maxMessages} is not 1 to {@link
   *     ChatClient#MAX_READ_HISTORY}
   */
  HistoryReader(ChatClient client, HistoryQuery from, int maxMessages) {
    java.util.Objects.requireNonNull(from, "from");
    if (maxMessages < 1 || maxMessages > ChatClient.MAX_READ_HISTORY) {
      throw new IllegalArgumentException(
          "maxMessages must be 1 to " + ChatClient.MAX_READ_HISTORY + ": " + maxMessages);
    }
    this.client = client;
    this.from = from;
    this.after = from.direction() == HistoryQuery.Direction.AFTER;
    this.maxMessages = maxMessages;
  }

  CompletableFuture<List<ChatMessage>> run() {
    int limit = Math.min(PAGE, maxMessages);
    CompletableFuture<HistoryPage> firstPage = client.history(query(from.cursor(), limit));
    CompletableFuture<Long> top = after
        ? client.history(HistoryQuery.builder().from(from).direction(HistoryQuery.Direction.BEFORE).cursor(0)
            .limit(1).build()).thenApply(p -> p.messages().isEmpty() ? 0L : p.messages().get(0).id())
        : CompletableFuture.completedFuture(0L);
    firstPage.thenCombine(top, (page, newestId) -> {
      synchronized (this) {
        start(page, limit, newestId);
      }
      return null;
    }).whenComplete((v, failure) -> {
      if (failure != null) {
        fail(failure);
      }
    });
    return result;
  }

  private void start(HistoryPage page, int limit, long newestId) {
    List<ChatMessage> m = page.messages();
    for (int i = 0; i < m.size(); i++) {
      first.add(m.get(after ? i : m.size() - 1 - i));
    }
    if (page.nextCursor().isEmpty() || first.size() >= maxMessages) {
      finish();
      return;
    }
    int n = m.size();
    if (n == 0) { // a page with a next cursor is never empty (section 10); end if one is
      finish();
      return;
    }
    long ids = m.get(n - 1).id() - m.get(0).id() + 1;
    width = widthFor(ids, n);
    firstLimit = n < limit ? Math.min(PAGE, n + 2) : PAGE;
    next = page.nextCursor().getAsLong();
    newest = newestId;
    fill();
  }

  /** Opens spans while fewer than WINDOW are read and the spans hold fewer than maxMessages. */
  private void fill() {
    while (!opened && reading < WINDOW && held < maxMessages && !result.isDone()) {
      long start = next;
      long stop;
      if (after) {
        stop = newest - start <= width ? Long.MAX_VALUE : start + width;
        opened = stop == Long.MAX_VALUE;
      } else {
        if (start <= 1) { // ids start at 1: nothing lies below
          opened = true;
          return;
        }
        stop = Math.max(1, start - width);
        opened = stop == 1;
      }
      next = stop;
      Span span = new Span(spans.size(), start, stop, firstLimit);
      spans.add(span);
      reading++;
      request(span);
    }
  }

  private void request(Span span) {
    CompletableFuture<HistoryPage> page;
    try {
      page = client.history(query(span.cursor, span.limit));
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    page.whenComplete((p, failure) -> {
      if (failure != null) {
        fail(failure);
        return;
      }
      synchronized (this) {
        if (!result.isDone()) {
          arrived(span, p);
        }
      }
    });
  }

  private void arrived(Span span, HistoryPage page) {
    List<ChatMessage> m = page.messages();
    boolean beyond = false;
    for (int i = 0; i < m.size(); i++) {
      ChatMessage message = m.get(after ? i : m.size() - 1 - i);
      if (after ? message.id() > span.stop : message.id() < span.stop) {
        beyond = true; // the next span's
        break;
      }
      span.messages.add(message);
      held++;
    }
    if (page.nextCursor().isEmpty()) {
      end = Math.min(end, span.index);
      opened = true;
      done(span);
    } else {
      long cursor = page.nextCursor().getAsLong();
      if (beyond || (after ? cursor >= span.stop : cursor <= span.stop)) {
        done(span);
      } else {
        span.cursor = cursor;
        int fitted = m.size();
        span.limit = fitted < span.limit ? Math.max(1, fitted + 2) : Math.min(PAGE, span.limit * 2);
        if (span.index == head || held < maxMessages) {
          request(span);
        } else {
          span.waiting = true;
        }
      }
    }
    while (head < spans.size() && head <= end && spans.get(head).done) {
      head++;
    }
    if (head > end || (opened && head == spans.size()) || contiguous() >= maxMessages) {
      finish();
      return;
    }
    if (head < spans.size() && spans.get(head).waiting) {
      spans.get(head).waiting = false;
      request(spans.get(head));
    }
    fill();
  }

  private void done(Span span) {
    span.done = true;
    reading--;
    if (span.stop != Long.MAX_VALUE) {
      // the density changes along the history: spans to open are sized by the last one read, by at
      // most a factor of 4 a step, so that a sparse stretch costs few requests
      long ids = Math.abs(span.start - span.stop);
      long sized = span.messages.isEmpty() ? MAX_WIDTH : widthFor(ids, span.messages.size());
      width = Math.max(1, Math.max(width / 4, Math.min(sized, width > MAX_WIDTH / 4 ? MAX_WIDTH : width * 4)));
    }
  }

  /** {@return the ids a span takes to hold about SPAN_MESSAGES, where {@code n} messages took {@code ids}} */
  private static long widthFor(long ids, int n) {
    return (long) Math.min(MAX_WIDTH, Math.max(1, Math.ceil((double) ids / n * SPAN_MESSAGES)));
  }

  /** {@return how many messages the first page and the spans up to the head hold, without a gap} */
  private int contiguous() {
    int n = first.size();
    for (int i = 0; i <= head && i < spans.size() && i <= end; i++) {
      n += spans.get(i).messages.size();
    }
    return n;
  }

  private void finish() {
    List<ChatMessage> all = new ArrayList<>(Math.min(maxMessages, first.size() + held));
    all.addAll(first);
    for (int i = 0; i <= head && i < spans.size() && i <= end && all.size() < maxMessages; i++) {
      all.addAll(spans.get(i).messages);
    }
    List<ChatMessage> answer = all.size() > maxMessages ? all.subList(0, maxMessages) : all;
    if (!after) {
      Collections.reverse(answer);
    }
    result.complete(List.copyOf(answer));
  }

  private void fail(Throwable failure) {
    result.completeExceptionally(
        failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
  }

  private HistoryQuery query(long cursor, int limit) {
    return HistoryQuery.builder().from(from).cursor(cursor).limit(limit).build();
  }

  /**
   * A span of ids read page by page from {@code start} (exclusive) in the query's direction:
   * AFTER, ids in (start, stop], and stop {@link Long#MAX_VALUE} for the open-ended last; BEFORE,
   * ids in [stop, start).
   */
  private static final class Span {
    final int index;
    final long start;
    final long stop;
    final List<ChatMessage> messages = new ArrayList<>();
    long cursor;
    /**
     * Entries asked for: a page cut short by the datagram's size says how many fit, and asking
     * for little more spares the server reading rows it cannot send.
     */
    int limit;
    boolean done;
    boolean waiting;

    Span(int index, long start, long stop, int limit) {
      this.index = index;
      this.start = start;
      this.cursor = start;
      this.stop = stop;
      this.limit = limit;
    }
  }
}
