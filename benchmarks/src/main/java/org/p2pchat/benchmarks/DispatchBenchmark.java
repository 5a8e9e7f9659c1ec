package org.p2pchat.benchmarks;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.ServerMetrics;
import org.p2pchat.protocol.codec.internal.CredentialsFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.codec.internal.SendFlyweight;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;
import org.p2pchat.protocol.server.internal.ServerEngine;
import org.p2pchat.server.ref.PrometheusMetrics;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * The server's dispatch core on one thread: each operation hands one datagram to the engine
 * exactly as its loop does (frame type, decode, session lookup, dedup, handler, answer encode,
 * send), with an in-memory store and a transport that only counts and copies what is sent. The
 * engine is a driven one ({@link ServerEngine#driven}): its loop runs on the benchmark's
 * thread, and so do password hashes.
 *
 * <ul>
 *   <li>{@code ping}: a PING from a logged-in session, answered OK at once: pure dispatch.
 *   <li>{@code send}: a SEND with a 100-byte body and a fresh request id to an offline user:
 *       the answer cache records it pending, the in-memory store appends it (synchronously, on
 *       this thread), its completion is queued to the loop's task queue and run by one pass of
 *       the loop, which encodes the OK, caches it and sends it.
 * </ul>
 *
 * <p>{@code metrics}: {@code none} runs the engine with {@link ServerMetrics#NONE};
 * {@code prometheus} with the reference server's {@link PrometheusMetrics}, so the difference is
 * what counting costs on the hot path.
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

  /** Which metrics listener the engine reports to. */
  @Param({"none", "prometheus"})
  public String metrics;

  private CapturingTransport transport;
  private InMemoryChatStore store;
  private ServerEngine engine;
  private final ByteBuffer request = ByteBuffer.allocate(1500);
  private final ByteBuffer ping = ByteBuffer.allocate(64);
  private final ByteBuffer send = ByteBuffer.allocate(1500);
  private long nextRequestId = 1;

  /** A fresh engine and store, users alice and bob registered, alice logged in. */
  @Setup(Level.Iteration)
  public void setUp() throws DecodeException, IOException {
    transport = new CapturingTransport(new InetSocketAddress("127.0.0.1", 7777));
    store = new InMemoryChatStore();
    // Cheap hashes: two registrations and a login per iteration, not what is measured.
    ServerConfig config = ServerConfig.builder().argon2MemoryKib(8).argon2Iterations(1).build();
    ServerMetrics listener = metrics.equals("prometheus") ? new PrometheusMetrics(() -> 0) : ServerMetrics.NONE;
    engine = ServerEngine.driven(transport, store, config, Clock.systemUTC(), Runnable::run, listener);
    CredentialsFlyweight register = new CredentialsFlyweight(FrameType.REGISTER);
    CredentialsFlyweight login = new CredentialsFlyweight(FrameType.LOGIN);
    request.clear();
    register.encode(request, nextRequestId++).name("alice").password(PASSWORD).finish();
    answer(request.flip());
    request.clear();
    register.encode(request, nextRequestId++).name("bob").password(PASSWORD).finish();
    answer(request.flip());
    request.clear();
    login.encode(request, nextRequestId++).name("alice").password(PASSWORD).finish();
    LoginOkFlyweight ok = new LoginOkFlyweight().wrap(answer(request.flip()));
    ping.clear();
    new TokenFlyweight(FrameType.PING).encode(ping, nextRequestId++).token(ok.tokenHi(), ok.tokenLo())
        .finish();
    ping.flip();
    send.clear();
    new SendFlyweight().encode(send, nextRequestId++).token(ok.tokenHi(), ok.tokenLo()).recipient("bob")
        .body(SendCodecBenchmark.BODY).finish();
    send.flip();
  }

  /** Checks that the last iteration's frames were answered OK, and ends the engine. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    ByteBuffer last = transport.last();
    if ((last.get(HeaderFlyweight.TYPE_OFFSET) & 0xff) != FrameType.OK.code()) {
      throw new IllegalStateException("the last answer was not OK but type "
          + (last.get(HeaderFlyweight.TYPE_OFFSET) & 0xff));
    }
    engine.loop().closeDriven();
    store.close();
  }

  /** One PING from a logged-in session. */
  @Benchmark
  public long ping() {
    engine.onDatagram(ping, CLIENT);
    return transport.sent();
  }

  /** One SEND with a fresh request id, and its completion. */
  @Benchmark
  public long send() throws IOException {
    send.putLong(HeaderFlyweight.REQUEST_ID_OFFSET, nextRequestId++);
    engine.onDatagram(send, CLIENT);
    engine.loop().runOnce(0);
    return transport.sent();
  }

  /** Dispatches a setup request and returns its answer: hashes and store run on this thread. */
  private ByteBuffer answer(ByteBuffer frame) throws IOException {
    long before = transport.sent();
    engine.onDatagram(frame, CLIENT);
    while (engine.loop().runOnce(0) > 0) {
      // until the completions of hash and store ran
    }
    if (transport.sent() == before) {
      throw new IllegalStateException("no answer to a setup request");
    }
    return transport.last();
  }
}
