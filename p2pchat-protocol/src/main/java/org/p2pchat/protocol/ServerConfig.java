package org.p2pchat.protocol;

import java.time.Duration;
import org.immutables.value.Value;

/**
 * The server engine's settings. Every limit bounds something a peer can grow; the defaults suit
 * a real deployment on a small machine. Build with {@link #builder()}; {@link #defaults()} has
 * every default.
 */
@Value.Immutable
public abstract class ServerConfig {

  ServerConfig() {}

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /**
   * How long a session lives without any request from its client. Clients ping every
   * {@link #keepaliveInterval()}, so a live client never comes near it. Default 120 s.
   */
  @Value.Default
  public Duration sessionIdleTimeout() {
    return Duration.ofSeconds(120);
  }

  /**
   * How often the server asks clients to ping (sent at login). 20 s keeps most NAT bindings
   * open (they commonly expire after 30 s for UDP). Default 20 s.
   */
  @Value.Default
  public Duration keepaliveInterval() {
    return Duration.ofSeconds(20);
  }

  /**
   * A device counts as online, and gets pushes, only if it was heard from this recently.
   * Default 45 s: two missed keepalives and a margin.
   */
  @Value.Default
  public Duration onlineWindow() {
    return Duration.ofSeconds(45);
  }

  /**
   * Presence pushes are coalesced per user over this interval (docs/protocol.md section 21): a
   * user's contacts hear of at most one change of the user's presence per interval, the latest
   * state, so that a client that flaps (logs in and out, loses its network) does not flood them.
   * Default 2 s: short enough that a contact coming online shows at once, long enough that a
   * flapping client costs each contact at most one push in 2 s.
   */
  @Value.Default
  public Duration presenceInterval() {
    return Duration.ofSeconds(2);
  }

  /** The most sessions at once; logins beyond it get SERVER_BUSY. Default 100,000. */
  @Value.Default
  public int maxSessions() {
    return 100_000;
  }

  /** The most sessions one user may hold; the oldest is ended for a new one. Default 8. */
  @Value.Default
  public int maxSessionsPerUser() {
    return 8;
  }

  /**
   * How long an answer stays cached for replay to a retransmitted request. It must exceed the
   * client's whole retransmission span (about 15 s by default). Default 60 s.
   */
  @Value.Default
  public Duration answerCacheTtl() {
    return Duration.ofSeconds(60);
  }

  /** The most cached answers. Default 65,536. */
  @Value.Default
  public int answerCacheEntries() {
    return 65_536;
  }

  /** The most bytes of cached answers. Default 16 MiB. */
  @Value.Default
  public long answerCacheBytes() {
    return 16L * 1024 * 1024;
  }

  /**
   * The most requests of logged-in users waiting for the store at once; beyond, SERVER_BUSY.
   * Registrations and logins have their own budget ({@link #hashThreads()} +
   * {@link #maxQueuedHashes()}), so a login flood never takes these slots. Default 16,384.
   */
  @Value.Default
  public int maxPendingOperations() {
    return 16_384;
  }

  /** The most pushes awaiting acknowledgement at once; beyond, pushes are skipped (history has them). Default 65,536. */
  @Value.Default
  public int maxPendingPushes() {
    return 65_536;
  }

  /** The first push retransmission timeout; it doubles each attempt. Default 250 ms. */
  @Value.Default
  public Duration pushInitialTimeout() {
    return Duration.ofMillis(250);
  }

  /** How many times a push is sent before giving up (the message stays unread in history). Default 6. */
  @Value.Default
  public int pushAttempts() {
    return 6;
  }

  /** Threads that hash passwords; each hash holds ~19 MiB for ~50 ms. Default 2. */
  @Value.Default
  public int hashThreads() {
    return 2;
  }

  /**
   * The most password hashes queued at once; with {@link #hashThreads()}, also the most
   * registrations and logins in flight. Beyond, SERVER_BUSY. Default 64.
   */
  @Value.Default
  public int maxQueuedHashes() {
    return 64;
  }

  /** Failed logins allowed per account per {@link #loginWindow()}. Default 10. */
  @Value.Default
  public int loginAttemptsPerAccount() {
    return 10;
  }

  /**
   * Failed logins, and registrations, allowed per source address per {@link #loginWindow()}.
   * Successful logins are not counted. Default 30.
   */
  @Value.Default
  public int loginAttemptsPerAddress() {
    return 30;
  }

  /** The window of the login rate limits. Default 60 s. */
  @Value.Default
  public Duration loginWindow() {
    return Duration.ofSeconds(60);
  }

  /**
   * How often the server asks its store for the admin operations recorded since it last asked
   * ({@code AdminStore#operationsAfter}): an account disabled, deleted or signed out by an
   * {@code admin} command beside the running server loses its open sessions within this long.
   * One indexed read of an almost always empty range each time, off the event loop. Default 2 s.
   */
  @Value.Default
  public Duration adminPollInterval() {
    return Duration.ofSeconds(2);
  }

  /** The most accounts and addresses tracked by the login rate limiter. Default 100,000. */
  @Value.Default
  public int maxRateLimitEntries() {
    return 100_000;
  }

  /**
   * The most long messages one session may have in assembly at once (docs/protocol.md section
   * 23); a part of one more is refused with TOO_MANY_PARTIAL_SENDS. A client sends them one at a
   * time, so a few are plenty. Default 4.
   */
  @Value.Default
  public int maxPartialSendsPerSession() {
    return 4;
  }

  /**
   * The most bytes all long messages in assembly may hold at once (each holds its whole length
   * from its first part); beyond, TOO_MANY_PARTIAL_SENDS. Default 16 MiB: 256 of the largest.
   */
  @Value.Default
  public long maxPartialSendBytes() {
    return 16L * 1024 * 1024;
  }

  /**
   * How long a long message in assembly waits for its next part before it is dropped, with the
   * memory it holds. Default 30 s: a client sends its parts back to back.
   */
  @Value.Default
  public Duration partialSendTimeout() {
    return Duration.ofSeconds(30);
  }

  /**
   * How long the name of an account its user deleted stays taken (docs/protocol.md section 22):
   * long enough that the name's contacts notice the account went before someone else can take
   * it. Default 30 days.
   */
  @Value.Default
  public Duration nameQuarantine() {
    return Duration.ofDays(30);
  }

  /**
   * The most bytes a second the relay forwards for one user (docs/protocol.md section 25), all
   * their devices and links together; beyond, RELAY frames are dropped (the peers' flow control
   * backs off, as on a congested path). Default 2 MiB/s: a file at broadband speed, while a
   * direct path carries more. 0 turns the relay off.
   */
  @Value.Default
  public long relayBytesPerSecondPerUser() {
    return 2L * 1024 * 1024;
  }

  /**
   * The most bytes a second the relay forwards for everyone together. Default 32 MiB/s, a
   * quarter of a gigabit link, so that relaying never starves the chat.
   */
  @Value.Default
  public long relayBytesPerSecondTotal() {
    return 32L * 1024 * 1024;
  }

  /**
   * The most peer links (introduced pairs of devices) the server keeps; a new introduction beyond
   * it ends the oldest link. Default 65,536, as many as sessions.
   */
  @Value.Default
  public int maxPeerLinks() {
    return 65_536;
  }

  /** The most peer links one session takes part in; a new one beyond it ends its oldest. Default 16. */
  @Value.Default
  public int maxPeerLinksPerSession() {
    return 16;
  }

  /** Argon2id memory in KiB (OWASP: 19456). Lower only in tests. */
  @Value.Default
  public int argon2MemoryKib() {
    return 19_456;
  }

  /** Argon2id iterations (OWASP: 2). */
  @Value.Default
  public int argon2Iterations() {
    return 2;
  }

  @Value.Check
  void check() {
    positive("sessionIdleTimeout", sessionIdleTimeout());
    positive("keepaliveInterval", keepaliveInterval());
    positive("onlineWindow", onlineWindow());
    positive("presenceInterval", presenceInterval());
    positive("answerCacheTtl", answerCacheTtl());
    positive("pushInitialTimeout", pushInitialTimeout());
    positive("loginWindow", loginWindow());
    positive("partialSendTimeout", partialSendTimeout());
    atLeast("maxPartialSendsPerSession", maxPartialSendsPerSession(), 1);
    atLeast("maxPartialSendBytes", maxPartialSendBytes(), 65_536);
    if (nameQuarantine().isNegative()) {
      throw new IllegalArgumentException("nameQuarantine must not be negative, was " + nameQuarantine());
    }
    positive("adminPollInterval", adminPollInterval());
    atLeast("relayBytesPerSecondPerUser", relayBytesPerSecondPerUser(), 0);
    atLeast("relayBytesPerSecondTotal", relayBytesPerSecondTotal(), 0);
    atLeast("maxPeerLinks", maxPeerLinks(), 1);
    atLeast("maxPeerLinksPerSession", maxPeerLinksPerSession(), 1);
    atLeast("maxSessions", maxSessions(), 1);
    atLeast("maxSessionsPerUser", maxSessionsPerUser(), 1);
    atLeast("answerCacheEntries", answerCacheEntries(), 16);
    atLeast("answerCacheBytes", answerCacheBytes(), 64 * 1024);
    atLeast("maxPendingOperations", maxPendingOperations(), 1);
    atLeast("maxPendingPushes", maxPendingPushes(), 1);
    atLeast("pushAttempts", pushAttempts(), 1);
    atLeast("hashThreads", hashThreads(), 1);
    atLeast("maxQueuedHashes", maxQueuedHashes(), 1);
    atLeast("loginAttemptsPerAccount", loginAttemptsPerAccount(), 1);
    atLeast("loginAttemptsPerAddress", loginAttemptsPerAddress(), 1);
    atLeast("maxRateLimitEntries", maxRateLimitEntries(), 16);
    atLeast("argon2MemoryKib", argon2MemoryKib(), 8);
    atLeast("argon2Iterations", argon2Iterations(), 1);
  }

  static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  /** Builds a {@link ServerConfig}; unset settings keep their defaults. */
  public static final class Builder extends ImmutableServerConfig.Builder {
    Builder() {}
  }
}
