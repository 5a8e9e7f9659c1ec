package org.p2pchat.protocol;

import java.time.Duration;
import org.immutables.value.Value;

/**
 * The client's retry and keepalive policy. Build with {@link #builder()}; {@link #defaults()}
 * has every default.
 *
 * <p>A request is sent, then retransmitted after a timeout that starts at the measured round
 * trip time (RFC 6298 style, never below {@link #minRetransmitTimeout()}) and doubles with each
 * attempt, with jitter, until an answer arrives, {@link #maxAttempts()} sends were made, or
 * {@link #requestDeadline()} passed.
 */
@Value.Immutable
public abstract class ClientConfig {

  ClientConfig() {}

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static ClientConfig defaults() {
    return builder().build();
  }

  /** The retransmission timeout before any round trip was measured. Default 500 ms. */
  @Value.Default
  public Duration initialRetransmitTimeout() {
    return Duration.ofMillis(500);
  }

  /** The floor of the retransmission timeout. Default 100 ms. */
  @Value.Default
  public Duration minRetransmitTimeout() {
    return Duration.ofMillis(100);
  }

  /** The ceiling of one retransmission timeout. Default 4 s. */
  @Value.Default
  public Duration maxRetransmitTimeout() {
    return Duration.ofSeconds(4);
  }

  /** The most sends of one request. Default 8. */
  @Value.Default
  public int maxAttempts() {
    return 8;
  }

  /**
   * How long a request may take in all before it fails with TIMEOUT. Default 15 s; the server
   * caches answers for longer than this (its answer cache TTL), so retransmissions never take
   * effect twice.
   */
  @Value.Default
  public Duration requestDeadline() {
    return Duration.ofSeconds(15);
  }

  /**
   * Where to remember the keys of contacts' devices (docs/protocol.md section 25.9): one line
   * per device, {@code USER DEVICE_ID BASE64_KEY}, as SSH's {@code known_hosts}; a key that
   * changes from one run to the next is then reported too. Empty (the default): remembered for
   * this client's life only.
   */
  public abstract java.util.Optional<java.nio.file.Path> knownPeersFile();

  /**
   * Whether this device takes direct peer-to-peer connections (docs/protocol.md section 25).
   * On, it tells a mutual contact's device its addresses when either asks for a channel, so the
   * two may talk directly. Off, it never reveals an address to anyone but the server, never
   * answers a peer's packets from one, and reaches peers only through the server's relay.
   * Default on: only a mutual contact, whom this user added and who added this user, ever
   * learns an address, and only when one of the two asks for a channel; a user who would hide
   * where they are even from them turns it off.
   */
  @Value.Default
  public boolean directConnections() {
    return true;
  }

  /**
   * How often to ping while logged in when the server did not say. The server's interval, sent
   * at login, wins. Default 20 s.
   */
  @Value.Default
  public Duration keepaliveInterval() {
    return Duration.ofSeconds(20);
  }

  /** The most requests in flight at once; beyond, calls fail fast with SERVER_BUSY. Default 1024. */
  @Value.Default
  public int maxInFlight() {
    return 1024;
  }

  /**
   * How many sends may wait unacknowledged (queued while the client reconnects, or in flight);
   * beyond, a send fails fast with OUTBOX_FULL. Default 1000.
   */
  @Value.Default
  public int outboxCapacity() {
    return 1000;
  }

  /**
   * The first wait between tries to resume a lost session, doubling (with jitter: each wait is
   * drawn between half and all of it) up to {@link #reconnectMaxDelay()}. The first try is at
   * once. Default 1 s.
   */
  @Value.Default
  public Duration reconnectMinDelay() {
    return Duration.ofSeconds(1);
  }

  /** The longest wait between tries to resume a lost session. Default 30 s. */
  @Value.Default
  public Duration reconnectMaxDelay() {
    return Duration.ofSeconds(30);
  }

  @Value.Check
  void check() {
    ServerConfig.positive("reconnectMinDelay", reconnectMinDelay());
    ServerConfig.positive("reconnectMaxDelay", reconnectMaxDelay());
    ServerConfig.atLeast("outboxCapacity", outboxCapacity(), 1);
    ServerConfig.positive("initialRetransmitTimeout", initialRetransmitTimeout());
    ServerConfig.positive("minRetransmitTimeout", minRetransmitTimeout());
    ServerConfig.positive("maxRetransmitTimeout", maxRetransmitTimeout());
    ServerConfig.positive("requestDeadline", requestDeadline());
    ServerConfig.positive("keepaliveInterval", keepaliveInterval());
    ServerConfig.atLeast("maxAttempts", maxAttempts(), 1);
    ServerConfig.atLeast("maxInFlight", maxInFlight(), 1);
    if (maxRetransmitTimeout().compareTo(minRetransmitTimeout()) < 0) {
      throw new IllegalArgumentException("maxRetransmitTimeout must not be below minRetransmitTimeout");
    }
  }

  /** Builds a {@link ClientConfig}; unset settings keep their defaults. */
  public static final class Builder extends ImmutableClientConfig.Builder {
    Builder() {}
  }
}
