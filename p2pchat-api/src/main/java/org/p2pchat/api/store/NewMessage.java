package org.p2pchat.api.store;

import java.time.Instant;
import org.immutables.value.Value;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

/** A message to append: everything but the id, which the store assigns. */
@Value.Immutable
public abstract class NewMessage {

  NewMessage() {}

  /**
   * A message to append.
   *
   * @param sender who sent it
   * @param recipient who it is addressed to
   * @param body the text
   * @param sentAt when the server accepted it
   * @return the message
   * @throws org.p2pchat.api.ChatException with {@code BODY_TOO_LONG} for a body over the limit
   * @throws IllegalArgumentException for an empty body
   */
  public static NewMessage of(UserName sender, UserName recipient, String body, Instant sentAt) {
    return ImmutableNewMessage.builder()
        .sender(sender)
        .recipient(recipient)
        .body(body)
        .sentAt(sentAt)
        .build();
  }

  /** {@return who sent it} */
  public abstract UserName sender();

  /** {@return who it is addressed to} */
  public abstract UserName recipient();

  /**
   * {@return the text, at most {@link org.p2pchat.api.ProtocolLimits#MAX_LONG_BODY_BYTES} bytes of
   * UTF-8}
   */
  public abstract String body();

  /** {@return when the server accepted it} */
  public abstract Instant sentAt();

  @Value.Check
  void check() {
    ChatMessage.checkBody(body());
  }
}
