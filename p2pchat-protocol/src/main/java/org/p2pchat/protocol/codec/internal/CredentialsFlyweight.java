package org.p2pchat.protocol.codec.internal;

import java.nio.ByteBuffer;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.api.codec.DecodeException.Reason;

/**
 * The layout of REGISTER and LOGIN: a user name and a password, padded.
 *
 * <pre>
 * offset   size  field
 *      0     13  header
 *     13    1+n  name: u8 length n (3..32), ASCII user name
 *   14+n    1+p  password: u8 length p (1..128), UTF-8
 * 15+n+p   rest  padding: zero bytes up to at least {@value #MIN_FRAME_BYTES} bytes in all
 * </pre>
 *
 * <p>A frame shorter than {@value #MIN_FRAME_BYTES} bytes is TRUNCATED (checked before the
 * fields); a non-zero padding byte is TRAILING_BYTES. {@link #finish} pads a frame being written.
 */
public final class CredentialsFlyweight extends HeaderFlyweight<CredentialsFlyweight> {
  /** Offset of the name field. */
  public static final int NAME_OFFSET = LENGTH;

  /**
   * The least size of the frame in bytes, reached with zero padding. Before a session exists no
   * answer may be larger than its request; this floor leaves room for any answer to these two
   * requests, so spoofed requests cannot amplify.
   */
  public static final int MIN_FRAME_BYTES = 64;

  private int passwordAt;

  /** @param type REGISTER or LOGIN */
  public CredentialsFlyweight(FrameType type) {
    super(type.code());
  }

  @Override
  protected int decodeFields(ByteBuffer frame, int start, int at, int end) throws DecodeException {
    if (end - start < MIN_FRAME_BYTES) {
      throw new DecodeException(Reason.TRUNCATED, FrameType.name(type()) + " is shorter than "
          + MIN_FRAME_BYTES + " bytes");
    }
    int password = Wire.checkName(frame, at, end, "name");
    int padding = Wire.checkPassword(frame, password, end);
    for (int i = padding; i < end; i++) {
      if (frame.get(i) != 0) {
        throw new DecodeException(Reason.TRAILING_BYTES, "non-zero padding");
      }
    }
    passwordAt = password;
    return end;
  }

  /** The user name as sent (receivers compare it case-insensitively). */
  public String name() {
    return Wire.string8(buffer, offset + NAME_OFFSET);
  }

  /** The password. Never log it. */
  public String password() {
    return Wire.string8(buffer, passwordAt);
  }

  /**
   * Writes the user name.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for a name outside the alphabet or length
   */
  public CredentialsFlyweight name(CharSequence name) {
    limit = Wire.putName(buffer, limit, name, "name");
    return this;
  }

  /**
   * Writes the password, after the name.
   *
   * @return this flyweight
   * @throws IllegalArgumentException for an empty or over-long password (the message never
   *     contains it)
   */
  public CredentialsFlyweight password(CharSequence password) {
    limit = Wire.putPassword(buffer, limit, password);
    return this;
  }

  /** Pads the frame with zero bytes to {@value #MIN_FRAME_BYTES}, then ends it. */
  @Override
  public int finish() {
    int end = Math.max(limit, offset + MIN_FRAME_BYTES);
    Wire.ensureRoom(buffer, limit, end - limit);
    while (limit < end) {
      buffer.put(limit++, (byte) 0);
    }
    return super.finish();
  }
}
