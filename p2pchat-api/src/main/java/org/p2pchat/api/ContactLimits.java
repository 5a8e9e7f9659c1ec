package org.p2pchat.api;

/** The bounds of contact and block lists (docs/protocol.md section 20), enforced with typed errors. */
public final class ContactLimits {
  /** The most contacts one user keeps: 256. */
  public static final int MAX_CONTACTS = 256;
  /** The most users one user blocks: 256. */
  public static final int MAX_BLOCKS = 256;

  private ContactLimits() {}
}
