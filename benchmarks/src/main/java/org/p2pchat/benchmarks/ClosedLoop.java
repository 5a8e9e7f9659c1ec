package org.p2pchat.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/**
 * Every client keeps {@code window} sends in flight: each acknowledgement starts the next send.
 * A failed send is counted and not replaced, so failures show as a shrinking window rather
 * than as a retry storm. Latency is from the send call to its acknowledgement.
 */
final class ClosedLoop {
  private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final List<ChatClient> clients;
  private final UserName recipient;
  private final int window;
  private final AckLog acks;
  private final Meter meter = new Meter();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean running = true;

  ClosedLoop(List<ChatClient> clients, UserName recipient, int window, AckLog acks) {
    this.clients = clients;
    this.recipient = recipient;
    this.window = window;
    this.acks = acks;
  }

  /** Runs the load through a warm-up and a measurement, then lets every send finish. */
  PhaseResult run(Duration warmup, Duration measure) throws InterruptedException {
    for (ChatClient c : clients) {
      for (int i = 0; i < window; i++) {
        send(c);
      }
    }
    PhaseResult result = meter.measure(warmup, measure);
    running = false;
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return result;
  }

  private void send(ChatClient client) {
    outstanding.incrementAndGet();
    long start = System.nanoTime();
    client.send(recipient, LoadTest.uniqueBody()).whenComplete((m, failure) -> {
      outstanding.decrementAndGet();
      if (failure != null) {
        meter.failed();
        return;
      }
      meter.completed(System.nanoTime() - start);
      acks.add(m.id());
      if (running) {
        send(client);
      }
    });
  }
}
