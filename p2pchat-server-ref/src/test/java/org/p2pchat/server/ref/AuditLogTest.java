package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.Audit;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The audit log ({@code p2pchat.audit}) of a scripted session holds its registrations, failed
 * logins, the lockout, a refused disabled login and an operator's deletion, with user, address
 * and counts, and none of the session's secrets: passwords, message bodies, the private key.
 */
class AuditLogTest {
  private static final String ALICE_PASSWORD = "alice's own secret";
  private static final String BOB_PASSWORD = "bob's own secret!";
  private static final String GUESS = "an attacker's guess";
  private static final String BODY = "the secret plans for friday";

  @TempDir
  Path dir;

  @Test
  void aScriptedSessionsAuditLogHoldsItsEventsAndNoneOfItsSecrets() throws Exception {
    Path db = dir.resolve("p2pchat.db");
    ListAppender<ILoggingEvent> audit = new ListAppender<>() {
      @Override
      protected synchronized void append(ILoggingEvent e) {
        super.append(e);
        notifyAll();
      }
    };
    try (RunningServer server = new RunningServer("--db", db.toString(), "--login-attempts-per-account", "3");
         ChatClient alice = server.client(); ChatClient bob = server.client(); ChatClient eve = server.client()) {
      Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Audit.LOGGER);
      audit.setContext(logger.getLoggerContext());
      audit.start();
      logger.addAppender(audit);

      alice.register(UserName.of("alice"), ALICE_PASSWORD).get(30, TimeUnit.SECONDS);
      bob.register(UserName.of("bob"), BOB_PASSWORD).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> eve.login(UserName.of("alice"), GUESS).get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(ChatException.class);
      }
      bob.login(UserName.of("bob"), BOB_PASSWORD).get(30, TimeUnit.SECONDS);
      bob.send(UserName.of("alice"), BODY).get(30, TimeUnit.SECONDS);
      AdminRun admin = new AdminRun(db);
      assertThat(admin.run("disable", "alice")).isZero();
      assertThat(admin.run("enable", "alice")).isZero();
      assertThat(admin.run("delete", "bob", "--yes")).isZero();
      // The running server applies both to its sessions at its next poll, and says so in its log.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      synchronized (audit) {
        while (applied(audit.list).size() < 2 && System.nanoTime() < deadline) {
          audit.wait(1000);
        }
      }
    } finally {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Audit.LOGGER).detachAppender(audit);
    }

    List<Map<String, String>> applied = applied(audit.list);
    assertThat(applied).extracting(m -> m.get("operation")).containsExactly("disabled", "deleted");
    assertThat(applied).extracting(m -> m.get("user")).containsExactly("alice", "bob");
    assertThat(applied).extracting(m -> m.get("sessions_ended")).as("alice had none, bob one").containsExactly("0", "1");
    List<ILoggingEvent> events = audit.list.stream()
        .filter(e -> !"admin_operation_applied".equals(kv(e).get("event"))).toList();
    List<String> kinds = events.stream().map(e -> kv(e).get("event")).toList();
    assertThat(kinds).containsExactly("registered", "registered", "login_failed", "login_failed", "login_failed",
        "lockout", "admin_disabled", "admin_enabled", "admin_deleted");
    assertThat(events).allSatisfy(e -> assertThat(e.getLoggerName()).isEqualTo(Audit.LOGGER));
    Map<String, String> third = kv(events.get(4));
    assertThat(third).containsEntry("user", "alice").containsEntry("address", "127.0.0.1")
        .containsEntry("account_failures", "3");
    assertThat(kv(events.get(5))).containsEntry("scope", "account").containsEntry("failures", "3");
    assertThat(kv(events.get(8))).containsEntry("user", "bob").containsEntry("count", "1");
    assertThat(events.get(2).getFormattedMessage()).isEqualTo(
        "login failed: user=alice address=127.0.0.1 account_failures=1 address_failures=1");

    String key = Files.readString(dir.resolve("server.key")).strip();
    for (ILoggingEvent e : audit.list) {
      String everything = e.getFormattedMessage() + " " + kv(e);
      assertThat(everything).doesNotContain(ALICE_PASSWORD, BOB_PASSWORD, GUESS, BODY, key, "$argon2");
    }
  }

  private static List<Map<String, String>> applied(List<ILoggingEvent> events) {
    synchronized (events) {
      return List.copyOf(events).stream().map(AuditLogTest::kv)
          .filter(m -> "admin_operation_applied".equals(m.get("event"))).toList();
    }
  }

  private static Map<String, String> kv(ILoggingEvent e) {
    List<KeyValuePair> pairs = e.getKeyValuePairs() == null ? List.of() : e.getKeyValuePairs();
    return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value), (a, b) -> b,
        java.util.LinkedHashMap::new));
  }
}
