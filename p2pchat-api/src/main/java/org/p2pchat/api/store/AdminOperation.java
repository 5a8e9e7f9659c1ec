package org.p2pchat.api.store;

import org.immutables.value.Value;
import org.p2pchat.api.UserName;

/**
 * An operator's change to an account that sessions already open must follow, as the store
 * recorded it ({@link AdminStore#operationsAfter}): a server polls these and ends the sessions
 * concerned, so that an account disabled, deleted or signed out by an {@code admin} command run
 * beside it (another process, another node) loses its open sessions within seconds instead of
 * at their idle timeout.
 */
@Value.Immutable
public abstract class AdminOperation {

  AdminOperation() {}

  /** What the operator did, and so which of the account's sessions end. */
  public enum Kind {
    /** The account was disabled: every session of it ends. */
    DISABLED(1),
    /** The account was deleted: every session of it ends. */
    DELETED(2),
    /**
     * Every device credential of the account was revoked: the sessions opened with one of them
     * (a device id up to {@link AdminOperation#deviceIdsUpTo()}) end.
     */
    DEVICES_REVOKED(3),
    /** An operator set a new password: the sessions opened with the password (not a device) end. */
    PASSWORD_RESET(4);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** {@return the number a store keeps for this kind} */
    public int code() {
      return code;
    }

    /**
     * The kind a store's number stands for.
     *
     * @param code a number {@link #code()} returned
     * @return the kind
     * @throws IllegalArgumentException when no kind has that number
     */
    public static Kind of(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("no admin operation kind " + code);
    }
  }

  /**
   * An operation as recorded.
   *
   * @param id its number, greater than that of every operation recorded before it
   * @param kind what was done
   * @param user the account it was done to
   * @param deviceIdsUpTo for {@link Kind#DEVICES_REVOKED}: the greatest device id revoked (0
   *     when there was none); 0 for the other kinds
   * @return the operation
   */
  public static AdminOperation of(long id, Kind kind, UserName user, long deviceIdsUpTo) {
    return ImmutableAdminOperation.builder().id(id).kind(kind).user(user).deviceIdsUpTo(deviceIdsUpTo).build();
  }

  /** {@return its number, greater than that of every operation recorded before it} */
  public abstract long id();

  /** {@return what was done} */
  public abstract Kind kind();

  /** {@return the account it was done to} */
  public abstract UserName user();

  /** {@return for {@link Kind#DEVICES_REVOKED}, the greatest device id revoked; else 0} */
  public abstract long deviceIdsUpTo();
}
