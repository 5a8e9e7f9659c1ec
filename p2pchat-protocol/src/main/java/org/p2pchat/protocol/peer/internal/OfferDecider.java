package org.p2pchat.protocol.peer.internal;

/**
 * Asked, on the event loop, what to do with a file a peer offers. It must not block: it
 * answers later (the user types y or n) by calling {@link FileTransfers#accept} or
 * {@link FileTransfers#refuse} with the offer's id, on the loop; it may also answer at once,
 * from inside {@link #decide}. An offer left unanswered for the decision timeout is refused.
 */
@FunctionalInterface
public interface OfferDecider {
  /**
   * A peer offers a file.
   *
   * @param id the transfer id to answer with
   * @param name the offered name, sanitised (no path separators, no control characters)
   * @param sizeBytes the file's size
   */
  void decide(long id, String name, long sizeBytes);
}
