package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger log = LoggerFactory.getLogger(LoggingTest.class);

  @AfterEach
  void backToTheDefault() {
    Logging.configure(LogLevel.INFO, LogFormat.PLAIN);
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
  }

  @Test
  void aJsonLineIsOneObjectWithLevelLoggerMessageAndTimestamp() throws Exception {
    Logging.configure(LogLevel.INFO, LogFormat.JSON, out);
    long before = System.currentTimeMillis();

    log.info("started: udp {}, \"quoted\" and ünïcode", "127.0.0.1:7777");
    log.debug("not at INFO");

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText()).isEqualTo(LoggingTest.class.getName());
    assertThat(line.get("formattedMessage").asText()).isEqualTo("started: udp 127.0.0.1:7777, \"quoted\" and ünïcode");
    assertThat(line.get("message").asText()).isEqualTo("started: udp {}, \"quoted\" and ünïcode");
    assertThat(line.get("threadName").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(Instant.ofEpochMilli(line.get("timestamp").asLong()))
        .isBetween(Instant.ofEpochMilli(before), Instant.now());
    assertThat(line.has("context")).as("logback's context is noise in every line").isFalse();
  }

  @Test
  void aJsonLineCarriesItsExceptionAndStaysOneLine() throws Exception {
    Logging.configure(LogLevel.INFO, LogFormat.JSON, out);

    log.error("the store failed", new IllegalStateException("disk full\nsecond line"));

    List<String> lines = lines();
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("ERROR");
    assertThat(line.get("throwable").toString()).contains("IllegalStateException", "disk full");
  }

  @Test
  void aPlainLineLooksAsItDidWithSlf4jSimple() {
    Logging.configure(LogLevel.DEBUG, LogFormat.PLAIN, out);

    log.debug("stopping: draining requests in flight");
    log.trace("not at DEBUG");

    assertThat(lines()).singleElement().asString().matches(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\["
            + java.util.regex.Pattern.quote(Thread.currentThread().getName())
            + "\\] DEBUG LoggingTest - stopping: draining requests in flight");
  }

  @Test
  void theLevelAppliesToEveryLogger() {
    Logging.configure(LogLevel.WARN, LogFormat.PLAIN, out);

    LoggerFactory.getLogger("org.p2pchat.protocol.server.internal.ServerEngine").info("quiet");
    LoggerFactory.getLogger("org.jdbi.v3.core.Jdbi").warn("loud");

    assertThat(lines()).singleElement().asString().endsWith(" WARN Jdbi - loud");
  }
}
