package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The client's side of the secure channel played by hand, from {@code docs/protocol.md} section
 * 16 and the channel's own pieces ({@link NoiseNk}, {@link Packets}, {@link Aead}): so a test can
 * build every packet a client could send, valid or with any one field wrong, and seal a frame
 * under any counter. Not thread-safe.
 */
final class HandClient {
  private final byte[] serverPublic;
  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private NoiseNk.Initiator pending;
  private int pendingIndex;
  private byte[] pendingMac1;

  /** The channel, once a response was accepted. */
  int localIndex;
  int serverIndex;
  private Aead sender;
  private Aead receiver;

  HandClient(byte[] serverPublic) {
    this.serverPublic = serverPublic.clone();
    this.mac1Key = Packets.mac1Key(serverPublic);
    this.cookieKey = Packets.cookieKey(serverPublic);
  }

  /** A fresh INITIATION with sender index {@code index}, with a mac2 when {@code cookie} is not null. */
  byte[] initiate(int index, byte[] cookie) {
    byte[] payload = new byte[Packets.INITIATION_PAYLOAD_BYTES];
    Packets.putInt(payload, 0, index);
    try {
      pending = new NoiseNk.Initiator(Packets.PROLOGUE, serverPublic, payload, null);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
    pendingIndex = index;
    byte[] packet = new byte[Packets.INITIATION_BYTES];
    packet[0] = Packets.INITIATION;
    Packets.putInt(packet, Packets.INITIATION_SENDER_OFFSET, index);
    System.arraycopy(pending.message1(), 0, packet, Packets.INITIATION_MESSAGE_OFFSET, Packets.INITIATION_MESSAGE_BYTES);
    pendingMac1 = sealMacs(packet, cookie);
    return packet;
  }

  /** Writes mac1 (and mac2 with {@code cookie}) over {@code initiation}, as a client would; returns mac1. */
  byte[] sealMacs(byte[] initiation, byte[] cookie) {
    byte[] mac1 = Packets.mac(mac1Key, initiation, Packets.INITIATION_MAC1_OFFSET);
    System.arraycopy(mac1, 0, initiation, Packets.INITIATION_MAC1_OFFSET, Packets.MAC_BYTES);
    byte[] mac2 = cookie == null ? new byte[Packets.MAC_BYTES] : Packets.mac(cookie, initiation, Packets.INITIATION_MAC2_OFFSET);
    System.arraycopy(mac2, 0, initiation, Packets.INITIATION_MAC2_OFFSET, Packets.MAC_BYTES);
    return mac1;
  }

  /** The cookie in a COOKIE reply to the pending initiation, or null when it does not open. */
  byte[] cookieFrom(byte[] reply) {
    if (reply.length != Packets.COOKIE_PACKET_BYTES || reply[0] != Packets.COOKIE
        || Packets.getInt(reply, Packets.COOKIE_RECEIVER_OFFSET) != pendingIndex) {
      return null;
    }
    return CookieSeal.open(cookieKey, Arrays.copyOfRange(reply, Packets.COOKIE_NONCE_OFFSET, Packets.COOKIE_SEALED_OFFSET),
        pendingMac1, Arrays.copyOfRange(reply, Packets.COOKIE_SEALED_OFFSET, reply.length));
  }

  /** Accepts a RESPONSE to the pending initiation; true when it authenticated and the channel is up. */
  boolean accept(byte[] response) {
    if (response.length != Packets.RESPONSE_BYTES || response[0] != Packets.RESPONSE
        || Packets.getInt(response, Packets.RESPONSE_RECEIVER_OFFSET) != pendingIndex) {
      return false;
    }
    int server = Packets.getInt(response, Packets.RESPONSE_SENDER_OFFSET);
    NoiseNk.Initiator.Result result = pending.read(
        Arrays.copyOfRange(response, Packets.RESPONSE_MESSAGE_OFFSET, response.length),
        p -> p.length == 8 && Packets.getInt(p, 0) == server && Packets.getInt(p, 4) == pendingIndex);
    if (result == null) {
      return false;
    }
    localIndex = pendingIndex;
    serverIndex = server;
    sender = new NoiseJavaChaChaPoly(result.ciphers().getSender());
    receiver = new NoiseJavaChaChaPoly(result.ciphers().getReceiver());
    return true;
  }

  /**
   * A DATA packet of the channel carrying {@code frame} under {@code counter}. Noise reserves
   * the counter 2^64 - 1 and nothing seals under it: that packet is sealed under 0 and says
   * 2^64 - 1, the closest a sender can come (found by fuzzing, where the harness threw).
   */
  byte[] data(long counter, byte[] frame) {
    ByteBuffer out = ByteBuffer.allocate(Packets.DATA_HEADER_BYTES + frame.length + Aead.TAG_BYTES);
    out.put(Packets.DATA).putInt(serverIndex).putLong(counter);
    sender.seal(counter == -1 ? 0 : counter, new byte[0], ByteBuffer.wrap(frame), out);
    return out.array();
  }

  /** The frame in a DATA packet the server sent on this channel, or null when it does not open. */
  byte[] open(byte[] packet) {
    if (packet.length < Packets.DATA_HEADER_BYTES + Aead.TAG_BYTES || packet[0] != Packets.DATA
        || Packets.getInt(packet, Packets.DATA_RECEIVER_OFFSET) != localIndex) {
      return null;
    }
    long counter = ByteBuffer.wrap(packet).getLong(Packets.DATA_COUNTER_OFFSET);
    ByteBuffer out = ByteBuffer.allocate(packet.length);
    if (!receiver.open(counter, new byte[0],
        ByteBuffer.wrap(packet, Packets.DATA_HEADER_BYTES, packet.length - Packets.DATA_HEADER_BYTES), out)) {
      return null;
    }
    return Arrays.copyOf(out.array(), out.position());
  }
}
