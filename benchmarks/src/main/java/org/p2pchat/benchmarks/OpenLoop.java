package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * Sends at a fixed rate, round robin over the clients, whatever the answers do. Latency is from
 * each send's intended start, so a stall delays the sends behind it and shows in the figures
 * (no coordinated omission).
 */
final class OpenLoop {
  private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final List<ChatClient> clients;
  private final UserName recipient;
  private final double perSecond;
  private final AckLog acks;
  private final Meter meter = new Meter();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean running = true;
  /** The pacer's own record, to show it kept the rate: sends issued, worst lateness, span. */
  private volatile long issued;
  private volatile long maxLagNanos;
  private volatile long paceNanos;

  OpenLoop(List<ChatClient> clients, UserName recipient, double perSecond, AckLog acks) {
    this.clients = clients;
    this.recipient = recipient;
    this.perSecond = perSecond;
    this.acks = acks;
  }

  /** Runs the load through a warm-up and a measurement, then lets every send finish. */
  PhaseResult run(Duration warmup, Duration measure) throws InterruptedException {
    Thread pacer = new Thread(this::pace, "open-loop-pacer");
    pacer.start();
    PhaseResult result = meter.measure(warmup, measure);
    running = false;
    pacer.join();
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return result;
  }

  private void pace() {
    double interval = 1e9 / perSecond;
    long start = System.nanoTime();
    long k = 0;
    long maxLag = 0;
    while (running) {
      long intended = start + (long) (k * interval);
      long now = System.nanoTime();
      if (intended > now) {
        LockSupport.parkNanos(intended - now);
        continue;
      }
      maxLag = Math.max(maxLag, now - intended);
      send(clients.get((int) (k % clients.size())), intended);
      k++;
    }
    issued = k;
    maxLagNanos = maxLag;
    paceNanos = System.nanoTime() - start;
  }

  /**
   * What the generator did: the rate it issued sends at over the whole phase against the rate
   * asked, and how late its worst send was issued (a late send's latency still counts from its
   * intended start).
   */
  String generatorReport() {
    return String.format(java.util.Locale.ROOT, "generator issued %,.0f/s of %,.0f/s asked, worst issue lag %.3f ms",
        issued * 1e9 / Math.max(1, paceNanos), perSecond, maxLagNanos / 1e6);
  }

  private void send(ChatClient client, long intended) {
    outstanding.incrementAndGet();
    client.send(recipient, LoadTest.uniqueBody()).whenComplete((m, failure) -> {
      outstanding.decrementAndGet();
      if (failure != null) {
        meter.failed();
        return;
      }
      meter.completed(System.nanoTime() - intended);
      acks.add(m.id());
    });
  }
}
