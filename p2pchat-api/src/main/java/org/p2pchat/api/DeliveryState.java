package org.p2pchat.api;

/**
 * How far a message has come. States only move forward: STORED, then DELIVERED, then READ.
 * The numeric {@link #code()} is the value on the wire.
 */
public enum DeliveryState {
  /** The server has stored the message durably (the sender's send was acknowledged). */
  STORED(1),
  /** A device of the recipient acknowledged the pushed message. */
  DELIVERED(2),
  /** The recipient marked the message read. */
  READ(3);

  private final int code;

  DeliveryState(int code) {
    this.code = code;
  }

  /** {@return the value on the wire} */
  public int code() {
    return code;
  }

  /**
   * The state with the given wire value.
   *
   * @param code the value on the wire
   * @return the state
   * @throws IllegalArgumentException for a value that is not a state
   */
  public static DeliveryState of(int code) {
    switch (code) {
      case 1:
        return STORED;
      case 2:
        return DELIVERED;
      case 3:
        return READ;
      default:
        throw new IllegalArgumentException("not a delivery state: " + code);
    }
  }
}
