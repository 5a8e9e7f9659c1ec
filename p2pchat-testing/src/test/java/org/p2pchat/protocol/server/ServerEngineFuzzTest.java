package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ProtocolLimits;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.testing.ServerStats;

/**
 * Coverage-guided fuzzing of the server's handling of one datagram, from a stranger and from a
 * logged-in peer (docs/reliability.md), on an embedded server: everything runs on the fuzzer's
 * thread, so each input's effects are complete when the checks run. A plain test run replays
 * the inputs under {@code ServerEngineFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>What must hold after every datagram: the server still answers a PING; no handler failed
 * (a handler's unexpected exception shows as an INTERNAL error); no answer to a stranger is
 * larger than a request with its id; and every table stays within its configured bound. The
 * checks' own request ids are random, so the fuzzer cannot make its datagrams pass for their
 * answers (a datagram with the next id of a predictable counter once did).
 */
class ServerEngineFuzzTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1)
      .maxSessions(16).maxSessionsPerUser(4)
      .answerCacheEntries(256)
      .maxPendingPushes(64)
      .maxRateLimitEntries(256)
      .loginAttemptsPerAccount(1_000_000).loginAttemptsPerAddress(1_000_000)
      .build();
  private static final int HEADER_BYTES = 13;
  private static final int TOKEN_END = HEADER_BYTES + 16;

  private static EmbeddedHarness harness;
  private static EmbeddedHarness.Peer alice;
  private static EmbeddedHarness.Peer stranger;
  /** The longest request seen with each id: no answer to a stranger may exceed it. */
  private static final Map<Long, Integer> longestRequest = new HashMap<>();

  @BeforeAll
  static void startServer() {
    harness = new EmbeddedHarness(CONFIG, "alice", "bob");
    alice = harness.peer(2);
    alice.logIn("alice");
    stranger = harness.peer(3);
  }

  @AfterAll
  static void stopServer() {
    harness.close();
  }

  @FuzzTest
  void aStrangersDatagramIsAnsweredWithinItsSizeAndLeavesTheServerWorking(byte[] data) {
    byte[] datagram = Arrays.copyOf(data, Math.min(data.length, ProtocolLimits.MAX_DATAGRAM_BYTES));
    if (datagram.length >= HEADER_BYTES) {
      longestRequest.merge(ByteBuffer.wrap(datagram).getLong(5), datagram.length, Math::max);
    }
    for (EmbeddedHarness.Answer a : stranger.exchange(ByteBuffer.wrap(datagram))) {
      assertThat(a.errorCode()).as("error code of an answer to a stranger")
          .isNotEqualTo(ErrorCode.INTERNAL.code());
      assertThat(a.bytes().length).as("answer to a stranger's request of that id")
          .isLessThanOrEqualTo(longestRequest.getOrDefault(a.requestId(), 0));
    }
    checkStillServing();
  }

  /**
   * The fuzzer picks the frame type, request id and fields; the harness writes a valid header
   * and splices the live session token in, so that the bytes reach the session handlers.
   */
  @FuzzTest
  void aLoggedInPeersDatagramNeverFailsAHandlerAndLeavesTheServerWorking(byte[] data) {
    byte[] datagram = Arrays.copyOf(data, Math.min(data.length, ProtocolLimits.MAX_DATAGRAM_BYTES));
    if (datagram.length > 4) {
      datagram[0] = 0x50;
      datagram[1] = 0x32;
      datagram[2] = 1;
      datagram[4] = 0;
    }
    if (datagram.length >= TOKEN_END) {
      ByteBuffer.wrap(datagram).putLong(HEADER_BYTES, alice.tokenHi).putLong(HEADER_BYTES + 8, alice.tokenLo);
    }
    for (EmbeddedHarness.Answer a : alice.exchange(ByteBuffer.wrap(datagram))) {
      assertThat(a.errorCode()).as("error code of an answer to alice")
          .isNotEqualTo(ErrorCode.INTERNAL.code());
    }
    checkStillServing();
  }

  /** Pings as alice (logging in again if the datagram was a LOGOUT) and checks the bounds. */
  private static void checkStillServing() {
    List<EmbeddedHarness.Answer> received = alice.ping();
    EmbeddedHarness.Answer last = received.get(received.size() - 1);
    if (last.errorCode() == ErrorCode.NOT_LOGGED_IN.code()) {
      alice.logIn("alice");
      received = alice.ping();
      last = received.get(received.size() - 1);
    }
    assertThat(EmbeddedHarness.Peer.pingedOk(received))
        .as("answer to alice's ping (error code %d)", last.errorCode()).isTrue();
    for (EmbeddedHarness.Answer a : received) {
      assertThat(a.errorCode()).as("error code of an answer to alice")
          .isNotEqualTo(ErrorCode.INTERNAL.code());
    }
    ServerStats stats = harness.stats();
    assertThat(stats.sessions()).isLessThanOrEqualTo(CONFIG.maxSessions());
    assertThat(stats.cachedAnswers()).isLessThanOrEqualTo(CONFIG.answerCacheEntries());
    assertThat(stats.cachedAnswerBytes()).isLessThanOrEqualTo(CONFIG.answerCacheBytes());
    assertThat(stats.pendingPushes()).isLessThanOrEqualTo(CONFIG.maxPendingPushes());
    assertThat(stats.rateLimitEntries()).isLessThanOrEqualTo(CONFIG.maxRateLimitEntries());
    assertThat(stats.pendingOperations()).isLessThanOrEqualTo(CONFIG.maxPendingOperations());
  }
}
