package org.p2pchat.benchmarks;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.FrameHeader;
import org.p2pchat.protocol.codec.FrameType;
import org.p2pchat.protocol.codec.LoginEncoder;
import org.p2pchat.protocol.codec.OkDecoder;
import org.p2pchat.protocol.codec.PingEncoder;
import org.p2pchat.protocol.codec.RegisterEncoder;
import org.p2pchat.protocol.codec.SendEncoder;
import org.p2pchat.protocol.server.internal.ServerEngine;
import org.p2pchat.protocol.store.InMemoryChatStore;

/**
 * The server's dispatch core on one thread: each operation hands one datagram to the engine
 * exactly as its loop does (frame type, decode, session lookup, dedup, handler, answer encode,
 * send), with an in-memory store and a transport that only counts and copies what is sent.
 *
 * <ul>
 *   <li>{@code ping}: a PING from a logged-in session, answered OK at once: pure dispatch.
 *   <li>{@code send}: a SEND with a 100-byte body and a fresh request id to an offline user:
 *       the answer cache records it pending, the in-memory store appends it (synchronously, on
 *       this thread), its completion is queued to the engine's task queue and run as the loop
 *       would run it, which encodes the OK, caches it and sends it.
 * </ul>
 *
 * <p>The store and the engine are made fresh every iteration, so stored messages do not pile
 * up over the run. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar DispatchBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DispatchBenchmark {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final String PASSWORD = "correct horse battery staple";
  private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private CapturingTransport transport;
  private InMemoryChatStore store;
  private ServerEngine engine;
  private final ByteBuffer request = ByteBuffer.allocate(1500);
  private final ByteBuffer ping = ByteBuffer.allocate(64);
  private final ByteBuffer send = ByteBuffer.allocate(1500);
  private long nextRequestId = 1;

  /** A fresh engine and store, users alice and bob registered, alice logged in. */
  @Setup(Level.Iteration)
  public void setUp() throws DecodeException {
    transport = new CapturingTransport(new InetSocketAddress("127.0.0.1", 7777));
    store = new InMemoryChatStore();
    // Cheap hashes: two registrations and a login per iteration, not what is measured.
    ServerConfig config = ServerConfig.builder().argon2MemoryKib(8).argon2Iterations(1).build();
    engine = ServerEngine.createForBenchmark(transport, store, config, Clock.systemUTC());
    request.clear();
    RegisterEncoder.encode(request, nextRequestId++, "alice", PASSWORD);
    answer(request.flip());
    request.clear();
    RegisterEncoder.encode(request, nextRequestId++, "bob", PASSWORD);
    answer(request.flip());
    request.clear();
    LoginEncoder.encode(request, nextRequestId++, "alice", PASSWORD);
    OkDecoder ok = new OkDecoder().wrap(answer(request.flip()));
    if (ok.inReplyTo() != FrameType.LOGIN) {
      throw new IllegalStateException("login failed");
    }
    ping.clear();
    PingEncoder.encode(ping, nextRequestId++, ok.tokenHi(), ok.tokenLo());
    ping.flip();
    send.clear();
    SendEncoder.encode(send, nextRequestId++, ok.tokenHi(), ok.tokenLo(), "bob", SendCodecBenchmark.BODY);
    send.flip();
  }

  /** Checks that the last iteration's frames were answered OK, and stops the hash threads. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    ByteBuffer last = transport.last();
    if ((last.get(FrameHeader.TYPE_OFFSET) & 0xff) != FrameType.OK) {
      throw new IllegalStateException("the last answer was not OK but type "
          + (last.get(FrameHeader.TYPE_OFFSET) & 0xff));
    }
    engine.closeForBenchmark();
    store.close();
  }

  /** One PING from a logged-in session. */
  @Benchmark
  public long ping() {
    engine.dispatchForBenchmark(ping, CLIENT);
    return transport.sent();
  }

  /** One SEND with a fresh request id, and its completion. */
  @Benchmark
  public long send() {
    send.putLong(FrameHeader.REQUEST_ID_OFFSET, nextRequestId++);
    engine.dispatchForBenchmark(send, CLIENT);
    engine.runTasksForBenchmark();
    return transport.sent();
  }

  /** Dispatches a setup request and waits for its answer, which runs through the hash threads. */
  private ByteBuffer answer(ByteBuffer frame) {
    long before = transport.sent();
    engine.dispatchForBenchmark(frame, CLIENT);
    long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
    while (transport.sent() == before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no answer to a setup request within 30 s");
      }
      if (!engine.runTasksForBenchmark()) {
        Thread.onSpinWait();
      }
    }
    return transport.last();
  }
}
