package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.ChatMessage;

/** A push awaiting its PUSH_ACK: resent with backoff until acknowledged or given up. */
final class PendingPush {
  final long pushId;
  final Session session;
  final ChatMessage message;
  /** True for PUSH_MESSAGE (an ack marks it delivered), false for PUSH_STATE. */
  final boolean isMessage;
  final byte[] frame;
  int attempts;
  long deadlineMillis;

  PendingPush(long pushId, Session session, ChatMessage message, boolean isMessage, byte[] frame) {
    this.pushId = pushId;
    this.session = session;
    this.message = message;
    this.isMessage = isMessage;
    this.frame = frame;
  }
}
