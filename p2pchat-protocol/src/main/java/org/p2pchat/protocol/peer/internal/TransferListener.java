package org.p2pchat.protocol.peer.internal;

import java.nio.file.Path;

/**
 * What happens to transfers, on the event loop, for both directions. Each transfer ends with
 * exactly one {@link #completed} or {@link #failed}; {@link #progress} comes at most once per
 * 1% of the file or per 100 ms. All methods have empty defaults; they must not throw.
 */
public interface TransferListener {
  /** A transfer's direction. */
  enum Side {
    /** This device sends the file. */
    SENDING,
    /** This device receives the file. */
    RECEIVING
  }

  /** An offer was sent ({@link Side#SENDING}) or received ({@link Side#RECEIVING}). */
  default void offered(long id, Side side, String name, long sizeBytes) {}

  /** Bytes acknowledged (sending) or received in order (receiving) so far, of {@code total}. */
  default void progress(long id, Side side, long doneBytes, long totalBytes) {}

  /** The path died (no progress for the stall time); the transfer waits for a resume. */
  default void paused(long id, Side side) {}

  /**
   * The file arrived and its SHA-256 matched: {@code path} is the sent file, or where the
   * received one now is.
   */
  default void completed(long id, Side side, Path path, byte[] sha256) {}

  /** The transfer ended without success; the partial file, if any, is deleted. */
  default void failed(long id, Side side, TransferError reason) {}
}
