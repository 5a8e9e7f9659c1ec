package org.p2pchat.server.ref;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvDefaultsTest {

  @Test
  void theVariableIsTheOptionNameInUpperCaseWithThePrefix() {
    assertThat(EnvDefaults.variableFor("--port")).isEqualTo("P2PCHAT_PORT");
    assertThat(EnvDefaults.variableFor("--db")).isEqualTo("P2PCHAT_DB");
    assertThat(EnvDefaults.variableFor("--log-level")).isEqualTo("P2PCHAT_LOG_LEVEL");
    assertThat(EnvDefaults.variableFor("--session-idle-timeout")).isEqualTo("P2PCHAT_SESSION_IDLE_TIMEOUT");
  }
}
