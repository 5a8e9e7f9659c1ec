package org.p2pchat.protocol;

import java.net.InetSocketAddress;
import org.p2pchat.api.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events on the SLF4J logger {@value #LOGGER}, one INFO event each, for an operator's log
 * shipper: who (the account's name), from where (the source IP address) and counts, both in the
 * message and as key-value pairs (a JSON encoder writes them as fields). Never a password, hash,
 * token, key or message body: no method here takes one.
 *
 * <p>The engine writes the login and registration events; the reference server's admin
 * commands write {@link #adminAction}. Thread-safe.
 */
public final class Audit {
  /** The logger's name. */
  public static final String LOGGER = "p2pchat.audit";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private Audit() {}

  /** A login with a wrong password or for an unknown user, and the failures counted so far. */
  public static void loginFailed(UserName user, InetSocketAddress from, int accountFailures, int addressFailures) {
    LOG.atInfo().setMessage("login failed: user={} address={} account_failures={} address_failures={}")
        .addArgument(user.value()).addArgument(ip(from)).addArgument(accountFailures).addArgument(addressFailures)
        .addKeyValue("event", "login_failed").addKeyValue("user", user.value()).addKeyValue("address", ip(from))
        .addKeyValue("account_failures", accountFailures).addKeyValue("address_failures", addressFailures)
        .log();
  }

  /** A failure reached a login limit: further logins of the scope ("account" or "address") are refused for the window. */
  public static void lockedOut(String scope, UserName user, InetSocketAddress from, int failures, long windowMillis) {
    LOG.atInfo().setMessage("login locked out: scope={} user={} address={} failures={} window_ms={}")
        .addArgument(scope).addArgument(user.value()).addArgument(ip(from)).addArgument(failures).addArgument(windowMillis)
        .addKeyValue("event", "lockout").addKeyValue("scope", scope).addKeyValue("user", user.value())
        .addKeyValue("address", ip(from)).addKeyValue("failures", failures).addKeyValue("window_ms", windowMillis)
        .log();
  }

  /** A login with the right password to a disabled account. */
  public static void loginRefusedDisabled(UserName user, InetSocketAddress from) {
    LOG.atInfo().setMessage("login refused, account disabled: user={} address={}")
        .addArgument(user.value()).addArgument(ip(from))
        .addKeyValue("event", "login_disabled").addKeyValue("user", user.value()).addKeyValue("address", ip(from))
        .log();
  }

  /** An account deleted by its user (docs/protocol.md section 22). */
  public static void accountDeleted(UserName user, InetSocketAddress from) {
    LOG.atInfo().setMessage("account deleted by its user: user={} address={}").addArgument(user.value())
        .addArgument(ip(from))
        .addKeyValue("event", "account_deleted").addKeyValue("user", user.value()).addKeyValue("address", ip(from))
        .log();
  }

  /** A new account. */
  public static void registered(UserName user, InetSocketAddress from) {
    LOG.atInfo().setMessage("registered: user={} address={}").addArgument(user.value()).addArgument(ip(from))
        .addKeyValue("event", "registered").addKeyValue("user", user.value()).addKeyValue("address", ip(from))
        .log();
  }

  /**
   * An operator's action on an account (disable, enable, password reset, delete), from the
   * admin commands.
   *
   * @param action what was done, such as {@code "deleted"}
   * @param user the account
   * @param count what it touched (messages deleted), or -1 when nothing is counted
   */
  public static void adminAction(String action, UserName user, long count) {
    LOG.atInfo().setMessage("admin {}: user={} count={}").addArgument(action).addArgument(user.value()).addArgument(count)
        .addKeyValue("event", "admin_" + action).addKeyValue("user", user.value()).addKeyValue("count", count)
        .log();
  }

  /**
   * A server applied an operator's action recorded in the store (by an admin command in another
   * process, or on another node) to its open sessions: the server's own log holds the action too.
   *
   * @param operation the kind, such as {@code "disabled"}
   * @param user the account
   * @param id the operation's id in the store
   * @param sessionsEnded how many of the account's sessions on this server ended
   */
  public static void adminOperationApplied(String operation, UserName user, long id, int sessionsEnded) {
    LOG.atInfo().setMessage("admin operation applied: operation={} user={} id={} sessions_ended={}")
        .addArgument(operation).addArgument(user.value()).addArgument(id).addArgument(sessionsEnded)
        .addKeyValue("event", "admin_operation_applied").addKeyValue("operation", operation)
        .addKeyValue("user", user.value()).addKeyValue("id", id).addKeyValue("sessions_ended", sessionsEnded)
        .log();
  }

  private static String ip(InetSocketAddress from) {
    return from.getAddress() != null ? from.getAddress().getHostAddress() : from.getHostString();
  }
}
