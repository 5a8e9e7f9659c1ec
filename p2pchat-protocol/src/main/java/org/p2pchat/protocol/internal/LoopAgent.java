package org.p2pchat.protocol.internal;

import org.p2pchat.api.transport.DatagramHandler;

/**
 * What an {@link EventLoop} runs: the protocol state of one socket, touched only on the loop's
 * thread. Modelled on Agrona's {@code Agent}: the loop calls these methods, and the agent never
 * waits in any of them.
 */
public interface LoopAgent extends DatagramHandler {

  /** The agent's role, which names the loop's thread ({@code p2pchat-loop-7777}). */
  String roleName();

  /**
   * The agent's own work after each pass of the loop, once the datagrams, the tasks and the due
   * timers ran: housekeeping, keepalives.
   *
   * @param nowMillis the loop's clock
   */
  default void onDuty(long nowMillis) {}

  /**
   * Whether a loop that was asked to close may stop now: an agent with work in flight (store
   * writes whose answers are owed) says no until it is done.
   */
  default boolean isDrained() {
    return true;
  }

  /** Called once on the loop's thread after its last pass, before the transport is closed. */
  default void onClose() {}
}
