package org.p2pchat.api;

import org.immutables.value.Value;

/**
 * A user name: 3 to 32 ASCII characters, letters, digits, {@code '_'} and {@code '-'},
 * starting with a letter. Names are case-insensitive: {@link #of(String)} normalises to lower
 * case, so {@code UserName.of("Alice").equals(UserName.of("alice"))}.
 *
 * <p>Immutable and thread-safe.
 */
@Value.Immutable(builder = false)
public abstract class UserName implements Comparable<UserName> {

  UserName() {}

  /** {@return the normalised (lower-case) name} */
  @Value.Parameter
  public abstract String value();

  /**
   * Validates and normalises a user name.
   *
   * @param name the name, in any letter case
   * @return the name, in lower case
   * @throws ChatException with {@link ErrorCode#INVALID_USER_NAME} when the name is outside the
   *     alphabet or length
   * @throws NullPointerException when {@code name} is null
   */
  public static UserName of(String name) {
    if (!isValid(name)) {
      throw new ChatException(ErrorCode.INVALID_USER_NAME);
    }
    return ImmutableUserName.of(lowerAscii(name));
  }

  /**
   * Whether {@code name} is a valid user name, in any letter case.
   *
   * @param name the name to check
   * @return whether it is valid
   * @throws NullPointerException when {@code name} is null
   */
  public static boolean isValid(String name) {
    int n = name.length();
    if (n < ProtocolLimits.MIN_USER_NAME_LENGTH || n > ProtocolLimits.MAX_USER_NAME_LENGTH) {
      return false;
    }
    if (!isLetter(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      if (!isNameChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the character (or byte, as ASCII) may start a user name.
   *
   * @param c the character
   * @return whether it is an ASCII letter
   */
  public static boolean isLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * Whether the character (or byte, as ASCII) may appear in a user name.
   *
   * @param c the character
   * @return whether it is an ASCII letter, digit, {@code '_'} or {@code '-'}
   */
  public static boolean isNameChar(int c) {
    return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  @Value.Check
  void check() {
    if (!isValid(value()) || !value().equals(lowerAscii(value()))) {
      throw new ChatException(ErrorCode.INVALID_USER_NAME);
    }
  }

  private static String lowerAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
  }

  @Override
  public int compareTo(UserName other) {
    return value().compareTo(other.value());
  }

  @Override
  public String toString() {
    return value();
  }
}
