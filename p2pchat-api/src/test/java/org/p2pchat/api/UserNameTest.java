package org.p2pchat.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UserNameTest {

  @Test
  void namesAreCaseInsensitiveAndNormalisedToLowerCase() {
    assertThat(UserName.of("Alice_01").value()).isEqualTo("alice_01");
    assertThat(UserName.of("ALICE")).isEqualTo(UserName.of("alice"));
  }

  @Test
  void namesOutsideTheAlphabetOrLengthAreRejectedWithTheirCode() {
    for (String bad : new String[] {"ab", "1abc", "_abc", "al ice", "alïce", "a".repeat(33), ""}) {
      assertThatThrownBy(() -> UserName.of(bad))
          .isInstanceOf(ChatException.class)
          .extracting(e -> ((ChatException) e).code())
          .isEqualTo(ErrorCode.INVALID_USER_NAME);
    }
    assertThat(UserName.of("a".repeat(32)).value()).hasSize(32);
    assertThat(UserName.of("abc").value()).isEqualTo("abc");
  }

  @Test
  void errorCodesRoundTripThroughTheirNumbers() {
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(ErrorCode.of(c.code())).contains(c);
    }
    assertThat(ErrorCode.of(999)).isEmpty();
  }

  @Test
  void bodiesOverTheLimitInBytesAreRejected() {
    ChatMessage.checkBody("x".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES));
    assertThatThrownBy(() -> ChatMessage.checkBody("é".repeat(ProtocolLimits.MAX_LONG_BODY_BYTES / 2 + 1)))
        .isInstanceOf(ChatException.class);
    ChatMessage.checkBody("x".repeat(ProtocolLimits.MAX_BODY_BYTES), ProtocolLimits.MAX_BODY_BYTES);
    assertThatThrownBy(() -> ChatMessage.checkBody("é".repeat(ProtocolLimits.MAX_BODY_BYTES / 2 + 1),
        ProtocolLimits.MAX_BODY_BYTES)).isInstanceOf(ChatException.class);
  }
}
