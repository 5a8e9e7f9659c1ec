package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * Messages to recipients who are online, as a chat user feels them: each pair is a sender and
 * its own recipient, both logged in; every message is stored, acknowledged, pushed to the
 * recipient, acknowledged by the recipient's client (PUSH_ACK), marked delivered, and the
 * sender told (a receipt). Each pair keeps {@code window} messages in flight, a message leaving
 * the window at its completion:
 *
 * <ul>
 *   <li>{@link Completion#RECEIPT}: when its sender hears it was delivered (the whole cycle);
 *   <li>{@link Completion#ARRIVAL}: when its recipient's listener has it (send and wait until
 *       the recipient has it).
 * </ul>
 *
 * <p>Latency is from the send call to the completion. Afterwards {@link #check} proves every
 * acknowledged message arrived exactly once at its recipient and (for receipts) its sender
 * heard of its delivery exactly once.
 */
final class OnlineDelivery {
  private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  enum Completion { RECEIPT, ARRIVAL }

  /** One sender and its recipient. */
  record Pair(ChatClient sender, ChatClient recipient, UserName recipientName, Listeners listeners) {}

  /**
   * The listeners of one pair's two clients, set up before the clients log in, which route
   * events to the phase that is running.
   */
  static final class Listeners {
    volatile OnlineDelivery phase;
    volatile int pair;

    void arrived(ChatMessage m) {
      OnlineDelivery p = phase;
      if (p != null) {
        p.arrived(pair, m.id());
      }
    }

    void stateChanged(long id, DeliveryState state) {
      OnlineDelivery p = phase;
      if (p != null && state == DeliveryState.DELIVERED) {
        p.receipt(pair, id);
      }
    }
  }

  private final List<Pair> pairs;
  private final int window;
  private final Completion completion;
  private final AckLog acks;
  private final Meter meter = new Meter();
  private final AtomicInteger outstanding = new AtomicInteger();
  /** Start times (nanos) of sends whose completion is awaited, by message id, once acknowledged. */
  private final ConcurrentHashMap<Long, Long> started = new ConcurrentHashMap<>();
  /** Completions that came before the send's acknowledgement (its id unknown until then). */
  private final ConcurrentHashMap<Long, Long> early = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Integer> arrivals = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Integer> receipts = new ConcurrentHashMap<>();
  private final LongAdder acknowledged = new LongAdder();
  private final ConcurrentHashMap<Long, Boolean> ackedIds = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  OnlineDelivery(List<Pair> pairs, int window, Completion completion, AckLog acks) {
    this.pairs = pairs;
    this.window = window;
    this.completion = completion;
    this.acks = acks;
  }

  /** Runs the load through a warm-up and a measurement, then lets every message complete. */
  PhaseResult run(Duration warmup, Duration measure) throws InterruptedException {
    for (int i = 0; i < pairs.size(); i++) {
      pairs.get(i).listeners.pair = i;
      pairs.get(i).listeners.phase = this;
    }
    for (int i = 0; i < pairs.size(); i++) {
      for (int w = 0; w < window; w++) {
        send(i);
      }
    }
    PhaseResult result = meter.measure(warmup, measure);
    running = false;
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    // Receipts of messages completed by their arrival, and late ones: give them a moment.
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (receipts.size() < ackedIds.size()
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return result;
  }

  private void send(int pair) {
    Pair p = pairs.get(pair);
    outstanding.incrementAndGet();
    long start = System.nanoTime();
    p.sender.send(p.recipientName, LoadTest.uniqueBody()).whenComplete((m, failure) -> {
      if (failure != null) {
        outstanding.decrementAndGet();
        meter.failed();
        return;
      }
      acks.add(m.id());
      acknowledged.increment();
      ackedIds.put(m.id(), Boolean.TRUE);
      long done = matchAck(m.id(), start);
      if (done != 0) {
        completed(pair, start, done);
      }
    });
  }

  private void arrived(int pair, long id) {
    arrivals.merge(id, 1, Integer::sum);
    if (completion == Completion.ARRIVAL) {
      complete(pair, id);
    }
  }

  private void receipt(int pair, long id) {
    receipts.merge(id, 1, Integer::sum);
    if (completion == Completion.RECEIPT) {
      complete(pair, id);
    }
  }

  private void complete(int pair, long id) {
    long now = System.nanoTime();
    long start = matchCompletion(id, now);
    if (start != 0) {
      completed(pair, start, now);
    }
  }

  /** The completion time when the completion came first, else 0 (and the start is kept). */
  private synchronized long matchAck(long id, long start) {
    Long done = early.remove(id);
    if (done != null) {
      return done;
    }
    started.put(id, start);
    return 0;
  }

  /** The start time when the acknowledgement came first, else 0 (and the completion is kept). */
  private synchronized long matchCompletion(long id, long now) {
    Long start = started.remove(id);
    if (start != null) {
      return start;
    }
    early.put(id, now);
    return 0;
  }

  private void completed(int pair, long start, long end) {
    outstanding.decrementAndGet();
    meter.completed(end - start);
    if (running) {
      send(pair);
    }
  }

  /**
   * Every acknowledged message arrived at its recipient exactly once and, when the phase waited
   * for receipts, its sender heard exactly once that it was delivered; nothing arrived that was
   * not sent. Returns a line for the report; throws when something is off.
   */
  String check() {
    long acked = acknowledged.sum();
    long missingArrivals = 0;
    long missingReceipts = 0;
    for (Long id : ackedIds.keySet()) {
      if (!arrivals.containsKey(id)) {
        missingArrivals++;
      }
      if (!receipts.containsKey(id)) {
        missingReceipts++;
      }
    }
    long doubled = arrivals.values().stream().filter(n -> n > 1).count()
        + receipts.values().stream().filter(n -> n > 1).count();
    long stray = arrivals.keySet().stream().filter(id -> !ackedIds.containsKey(id)).count();
    String line = String.format(java.util.Locale.ROOT,
        "%,d acknowledged; pushes arrived: %,d (%d missing); receipts: %,d (%d missing); "
            + "doubled: %d; arrived but never acknowledged: %d",
        acked, arrivals.size(), missingArrivals, receipts.size(), missingReceipts, doubled, stray);
    boolean receiptsRequired = completion == Completion.RECEIPT;
    if (missingArrivals > 0 || doubled > 0 || stray > 0 || (receiptsRequired && missingReceipts > 0)) {
      throw new IllegalStateException("online delivery check failed: " + line);
    }
    for (Pair p : pairs) {
      p.listeners.phase = null;
    }
    return line;
  }
}
