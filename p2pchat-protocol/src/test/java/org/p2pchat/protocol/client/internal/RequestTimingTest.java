package org.p2pchat.protocol.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;
import org.p2pchat.protocol.ClientConfig;
import org.p2pchat.protocol.codec.internal.EmptyOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.HeaderFlyweight;
import org.p2pchat.protocol.codec.internal.LoginOkFlyweight;
import org.p2pchat.protocol.internal.MovableClock;
import org.p2pchat.protocol.internal.RecordingTransport;

/**
 * When the client retransmits, on a loop driven by the test: a request that makes the server
 * hash a password waits a second before its first retransmission, others follow the RTT
 * estimate (never below 100 ms), each doubling with up to 25% jitter.
 */
class RequestTimingTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7777);

  private final MovableClock clock = new MovableClock();
  private final RecordingTransport wire = new RecordingTransport(50_000);
  private final ClientEngine client = ClientEngine.driven(wire, SERVER, ClientConfig.defaults(),
      message -> { }, clock, Runnable::run);

  private int sendsAfter(long millis) throws Exception {
    clock.advance(millis);
    client.loop().runOnce(0);
    return wire.take().size();
  }

  @Test
  void aLoginWaitsASecondBeforeItsFirstRetransmission() throws Exception {
    CompletableFuture<Void> login = client.login(UserName.of("alice"), "correct horse battery");
    assertThat(sendsAfter(0)).isEqualTo(1);
    assertThat(sendsAfter(999)).as("before a second").isZero();
    assertThat(sendsAfter(251)).as("a second, plus at most a quarter of jitter").isEqualTo(1);
    assertThat(login).isNotDone();
  }

  @Test
  void otherRequestsFollowTheRttEstimateAndDoubleEachTime() throws Exception {
    logIn(); // answered at once: one sample of 0 ms puts the RTO at its floor, 100 ms
    CompletableFuture<?> send = client.send(UserName.of("bob"), "hello");
    assertThat(sendsAfter(0)).isEqualTo(1);
    assertThat(sendsAfter(99)).as("before the RTO").isZero();
    assertThat(sendsAfter(26)).as("100 ms plus at most a quarter").isEqualTo(1);
    assertThat(sendsAfter(199)).as("the doubled timeout has not passed").isZero();
    assertThat(sendsAfter(51)).as("200 ms plus at most a quarter").isEqualTo(1);
    assertThat(send).isNotDone();
  }

  /** Logs in, answering the LOGIN as a server would, so that session requests can be sent. */
  private void logIn() throws Exception {
    CompletableFuture<Void> login = client.login(UserName.of("alice"), "correct horse battery");
    client.loop().runOnce(0);
    byte[] request = wire.take().get(0).bytes();
    long id = HeaderFlyweight.requestId(ByteBuffer.wrap(request));
    ByteBuffer ok = ByteBuffer.allocate(64);
    new LoginOkFlyweight().encode(ok, id).inReplyTo(FrameType.LOGIN).session(1, 2, 20_000).finish();
    byte[] answer = new byte[ok.flip().remaining()];
    ok.get(answer);
    wire.deliver(answer, SERVER);
    client.loop().runOnce(0);
    assertThat(login).isCompleted();
    login.join();
    // The new session's FEATURES (docs/protocol.md section 24), answered too, so it sends no more.
    client.loop().runOnce(0);
    byte[] features = wire.take().get(0).bytes();
    assertThat(features[HeaderFlyweight.TYPE_OFFSET]).isEqualTo((byte) FrameType.FEATURES.code());
    ok.clear();
    new EmptyOkFlyweight().encode(ok, HeaderFlyweight.requestId(ByteBuffer.wrap(features)))
        .inReplyTo(FrameType.FEATURES).finish();
    byte[] featuresOk = new byte[ok.flip().remaining()];
    ok.get(featuresOk);
    wire.deliver(featuresOk, SERVER);
    client.loop().runOnce(0);
  }
}
