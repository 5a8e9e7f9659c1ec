package org.p2pchat.cli.ref;

import java.util.Optional;
import org.p2pchat.api.ProtocolLimits;

/**
 * The rules a new password must meet, stated where it is asked for and checked before it is
 * asked again, so that nobody types a refused password twice. The server checks the same
 * rules; these only spare the round trip.
 */
final class PasswordRules {
  /** What every prompt for a new password says. */
  static final String RULES = ProtocolLimits.MIN_PASSWORD_BYTES + " to " + ProtocolLimits.MAX_PASSWORD_BYTES
      + " characters";

  private PasswordRules() {}

  /** Why {@code password} is refused, or empty when it is acceptable. */
  static Optional<String> problem(String password) {
    int bytes;
    try {
      bytes = ProtocolLimits.utf8Length(password);
    } catch (IllegalArgumentException e) {
      return Optional.of("that password holds a character that cannot be sent; choose another");
    }
    if (bytes < ProtocolLimits.MIN_PASSWORD_BYTES) {
      return Optional.of("that password is too short: it needs at least " + ProtocolLimits.MIN_PASSWORD_BYTES
          + " characters, and it has " + password.codePointCount(0, password.length()));
    }
    if (bytes > ProtocolLimits.MAX_PASSWORD_BYTES) {
      return Optional.of("that password is too long: at most " + ProtocolLimits.MAX_PASSWORD_BYTES
          + " bytes (characters beyond English letters count as 2 to 4)");
    }
    return Optional.empty();
  }
}
