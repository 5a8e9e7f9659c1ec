package org.p2pchat.protocol.codec;

import java.nio.ByteBuffer;

/** The shared layout of REGISTER and LOGIN: name, password, zero padding. */
final class HandshakeLayout {
  private HandshakeLayout() {}

  static int encode(ByteBuffer dst, int type, long requestId, CharSequence name,
      CharSequence password) {
    int nameBytes = Wire.nameBytes(name, "name");
    int passwordBytes = Wire.passwordBytes(password);
    int fields = FrameHeader.LENGTH + 1 + nameBytes + 1 + passwordBytes;
    int total = Math.max(fields, FrameHeader.MIN_HANDSHAKE_FRAME_BYTES);
    Wire.ensureRoom(dst, total);
    Wire.putHeader(dst, type, requestId);
    Wire.putName(dst, name);
    Wire.putString8(dst, password, passwordBytes);
    for (int i = fields; i < total; i++) {
      dst.put((byte) 0);
    }
    return total;
  }
}
