package org.p2pchat.protocol.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.p2pchat.api.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one event loop of the project, shared by server and client: it owns a transport and runs
 * one {@link LoopAgent} on one thread. Each pass polls the transport (waiting until the next
 * timer is due, a task arrives or a datagram does), runs the tasks handed in from other threads,
 * runs the due timers, then gives the agent its duty cycle. So all protocol state has one owner
 * and needs no lock.
 *
 * <p>Two ways to run it, as Agrona has {@code AgentRunner} and {@code AgentInvoker}:
 * {@link #start} runs it on a thread of its own until {@link #close}; {@link #runOnce} runs one
 * pass on the caller's thread, for a caller that drives the loop itself (an embedded server in a
 * test, with a manual clock).
 *
 * <p>{@link #execute}, {@link #close} and {@link #isClosing} are thread-safe; everything else
 * belongs to the loop's thread.
 */
public final class EventLoop implements Executor {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  private final Transport transport;
  private final Clock clock;
  private final LoopAgent agent;
  private final long maxPollMillis;
  private final long drainTimeoutMillis;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final TimerHeap timers = new TimerHeap();
  private volatile boolean closing;
  /** Set before the last pass over the tasks: what {@link #tryExecute} hands in later never runs. */
  private volatile boolean finished;
  private Thread thread;
  private long now;

  /**
   * A loop, not yet running.
   *
   * @param transport the socket; the loop closes it when it ends
   * @param clock the clock of every timestamp and deadline
   * @param maxPollMillis the longest wait in one poll, so the agent's duty cycle runs at least
   *     this often
   * @param drainTimeoutMillis how long a closing loop waits for {@link LoopAgent#isDrained}
   */
  public EventLoop(Transport transport, Clock clock, LoopAgent agent, long maxPollMillis,
      long drainTimeoutMillis) {
    this.transport = transport;
    this.clock = clock;
    this.agent = agent;
    this.maxPollMillis = maxPollMillis;
    this.drainTimeoutMillis = drainTimeoutMillis;
    this.now = clock.millis();
  }

  /**
   * Runs the loop on a thread of its own, named after the agent's role and the transport's
   * port, until {@link #close}.
   *
   * @param daemon whether the thread is a daemon (a client's is: it must not keep an
   *     application alive)
   */
  public void start(boolean daemon) {
    thread = new Thread(this::run, agent.roleName() + "-" + transport.localAddress().getPort());
    thread.setDaemon(daemon);
    thread.start();
  }

  /**
   * Runs one pass on the calling thread: polls (waiting at most {@code maxWaitMillis}), runs the
   * queued tasks and the due timers, then the agent's duty cycle. For a caller that drives the
   * loop itself, which must then make every call from one thread; never with {@link #start}.
   *
   * @return how many datagrams, tasks and timers were handled
   * @throws IOException when the transport fails
   */
  public int runOnce(long maxWaitMillis) throws IOException {
    now = clock.millis();
    long wait = tasks.isEmpty() ? timers.millisUntilNext(now, maxWaitMillis) : 0;
    int work = transport.poll(this::onDatagram, wait);
    wakeupPending.set(false);
    work += runTasks();
    now = clock.millis();
    work += timers.runDue(now);
    agent.onDuty(now);
    return work;
  }

  /** Runs {@code task} on the loop's thread, soon. Thread-safe. */
  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (wakeupPending.compareAndSet(false, true)) {
      transport.wakeup();
    }
  }

  /**
   * Hands {@code task} to the loop unless the loop has ended. Unlike {@link #execute}, a task
   * handed in while the loop ends is never silently dropped: it runs in the loop's last pass, or
   * this returns false and it never runs. Thread-safe.
   *
   * @return false when the loop had ended and the task will not run
   */
  public boolean tryExecute(Runnable task) {
    tasks.add(task);
    if (finished && tasks.remove(task)) {
      return false;
    }
    if (wakeupPending.compareAndSet(false, true)) {
      transport.wakeup();
    }
    return true;
  }

  /** The loop clock's time at the start of the current datagram, task or timer, in ms. */
  public long now() {
    return now;
  }

  /** Schedules (or moves) {@code timer} to run at {@code deadlineMillis}. On the loop only. */
  public void schedule(Timer timer, long deadlineMillis) {
    timers.schedule(timer, deadlineMillis);
  }

  /** Unschedules {@code timer}. On the loop only. */
  public void cancel(Timer timer) {
    timers.cancel(timer);
  }

  /**
   * Sends a datagram without blocking; one the system cannot take is dropped, as the network
   * might drop it (the protocol retransmits). On the loop only.
   */
  public void send(ByteBuffer datagram, InetSocketAddress to) {
    try {
      transport.send(datagram, to);
    } catch (IOException e) {
      log.debug("sending to {} failed: {}", to, e.toString());
    }
  }

  /** The transport's local address. */
  public InetSocketAddress localAddress() {
    return transport.localAddress();
  }

  /** Whether {@link #close} was called. Thread-safe. */
  public boolean isClosing() {
    return closing;
  }

  /**
   * Asks the loop to stop: a loop on its own thread finishes its work in flight (until the agent
   * is drained, or the drain timeout), closes the transport and ends; this call waits for that,
   * unless it is made on the loop's thread. Thread-safe; idempotent.
   */
  public void close() {
    closing = true;
    transport.wakeup();
    if (thread != null && Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Ends a loop that its caller drove with {@link #runOnce}: the agent's close, then the
   * transport's.
   */
  public void closeDriven() {
    closing = true;
    finish();
  }

  private void run() {
    long drainDeadline = Long.MAX_VALUE;
    try {
      while (true) {
        if (closing) {
          long t = clock.millis();
          if (drainDeadline == Long.MAX_VALUE) {
            drainDeadline = t + drainTimeoutMillis;
          }
          if (agent.isDrained() || t >= drainDeadline) {
            break;
          }
        }
        runOnce(maxPollMillis);
      }
    } catch (IOException e) {
      if (!closing) {
        log.error("the socket of {} failed; it stops: {}", thread.getName(), e.toString());
      }
    } catch (RuntimeException | Error e) {
      log.error("the event loop {} failed; it stops", thread.getName(), e);
    } finally {
      closing = true;
      finish();
    }
  }

  private void finish() {
    try {
      agent.onClose();
      runTasks(); // what was handed in meanwhile: each sees the loop closing, and says so
      finished = true;
      runTasks(); // what tryExecute handed in before it could see the loop finished
    } finally {
      try {
        transport.close();
      } catch (IOException e) {
        log.debug("closing the transport failed: {}", e.toString());
      }
    }
  }

  private void onDatagram(ByteBuffer datagram, InetSocketAddress from) {
    now = clock.millis(); // poll may have waited: expiry must see the current time
    agent.onDatagram(datagram, from);
  }

  private int runTasks() {
    int ran = 0;
    Runnable task;
    while ((task = tasks.poll()) != null) {
      now = clock.millis();
      ran++;
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("a task on the event loop failed", e);
      }
    }
    return ran;
  }
}
