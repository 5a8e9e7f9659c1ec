package org.p2pchat.protocol.peer.internal;

/**
 * The bounds of one {@link FileTransfers} engine (one peer device). All times in ms.
 *
 * @param maxConcurrent transfers at once in each direction (offers awaiting a decision
 *     included); an offer beyond it is refused TOO_MANY. Default 4: a user sends a few files at
 *     a time, and each receiving transfer holds two open files.
 * @param maxFileBytes the largest file received; a larger offer is refused TOO_LARGE. Default
 *     4 GiB.
 * @param maxWindowChunks the congestion window's cap (and the receiver's out-of-order span is
 *     twice it). Default 256 chunks = 256 KiB in flight: 20 Mbit/s at 100 ms RTT.
 * @param stallMillis no acknowledgement progress for this long pauses a sending transfer, no
 *     chunk for this long pauses a receiving one. Default 10 s.
 * @param decisionTimeoutMillis how long an offer waits for the user. Default 5 minutes.
 */
public record TransferLimits(
    int maxConcurrent,
    long maxFileBytes,
    int maxWindowChunks,
    long stallMillis,
    long decisionTimeoutMillis) {

  /** Checks every bound; the message names the bad one. */
  public TransferLimits {
    require(maxConcurrent >= 1, "maxConcurrent", maxConcurrent);
    require(maxFileBytes >= 0, "maxFileBytes", maxFileBytes);
    require(maxWindowChunks >= 1 && maxWindowChunks <= 4096, "maxWindowChunks", maxWindowChunks);
    require(stallMillis >= 1, "stallMillis", stallMillis);
    require(decisionTimeoutMillis >= 1, "decisionTimeoutMillis", decisionTimeoutMillis);
  }

  /** The defaults above. */
  public static TransferLimits defaults() {
    return new TransferLimits(4, 4L << 30, 256, 10_000, 300_000);
  }

  /** These limits with another {@code maxFileBytes}. */
  public TransferLimits withMaxFileBytes(long bytes) {
    return new TransferLimits(maxConcurrent, bytes, maxWindowChunks, stallMillis, decisionTimeoutMillis);
  }

  /** These limits with another {@code maxWindowChunks}. */
  public TransferLimits withMaxWindowChunks(int chunks) {
    return new TransferLimits(maxConcurrent, maxFileBytes, chunks, stallMillis, decisionTimeoutMillis);
  }

  private static void require(boolean ok, String name, long value) {
    if (!ok) {
      throw new IllegalArgumentException("TransferLimits." + name + " is out of range: " + value);
    }
  }
}
