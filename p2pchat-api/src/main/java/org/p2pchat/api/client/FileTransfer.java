package org.p2pchat.api.client;

import java.util.Objects;
import org.p2pchat.api.UserName;

/**
 * A file on its way between this device and a contact's ({@link PeerClient#sendFile},
 * {@link ChatListener#onFileOffered}). Immutable.
 */
public final class FileTransfer {
  /** Which way the file goes. */
  public enum Direction {
    /** From this device to the contact's. */
    SENDING,
    /** From the contact's device to this one. */
    RECEIVING
  }

  private final long id;
  private final UserName peer;
  private final Direction direction;
  private final String name;
  private final long size;

  private FileTransfer(long id, UserName peer, Direction direction, String name, long size) {
    this.id = id;
    this.peer = Objects.requireNonNull(peer, "peer");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.name = Objects.requireNonNull(name, "name");
    if (size < 0) {
      throw new IllegalArgumentException("a file's size is not negative: " + size);
    }
    this.size = size;
  }

  /**
   * A transfer.
   *
   * @param id the transfer's id, random, the same on both devices
   * @param peer the contact at the other end
   * @param direction which way the file goes
   * @param name the file's name (as offered; the receiver's copy may be renamed not to overwrite)
   * @param size its length in bytes
   * @return the transfer
   */
  public static FileTransfer of(long id, UserName peer, Direction direction, String name, long size) {
    return new FileTransfer(id, peer, direction, name, size);
  }

  /** {@return the transfer's id, the same on both devices} */
  public long id() {
    return id;
  }

  /** {@return the contact at the other end} */
  public UserName peer() {
    return peer;
  }

  /** {@return which way the file goes} */
  public Direction direction() {
    return direction;
  }

  /** {@return the file's name as offered} */
  public String name() {
    return name;
  }

  /** {@return the file's length in bytes} */
  public long size() {
    return size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileTransfer t && t.id == id && t.peer.equals(peer) && t.direction == direction
        && t.name.equals(name) && t.size == size;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, peer, direction, name, size);
  }

  @Override
  public String toString() {
    return "FileTransfer[" + direction + " " + name + " (" + size + " bytes) " + (direction == Direction.SENDING
        ? "to " : "from ") + peer + ", id " + Long.toUnsignedString(id, 16) + "]";
  }
}
