package org.p2pchat.protocol.secure.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * The server's side of the secure channel played by hand, as {@link HandClient} plays the
 * client's: so a test can answer a real client's initiation, keep the channel's server keys and
 * build every packet a server (or a spoofer of one) could send, valid or with one field wrong.
 * Not thread-safe.
 */
final class HandServer {
  private final NoiseNk.StaticKey key;
  final byte[] publicKey;
  final byte[] mac1Key;
  final byte[] cookieKey;

  /** The last initiation answered, and the channel it made. */
  int clientIndex;
  int localIndex;
  byte[] initiationMac1;
  private Aead sender;
  private Aead receiver;

  HandServer(ServerKeyPair keys) {
    this.key = new NoiseNk.StaticKey(keys.privateKey());
    this.publicKey = keys.publicKey().bytes();
    this.mac1Key = Packets.mac1Key(publicKey);
    this.cookieKey = Packets.cookieKey(publicKey);
  }

  /** Whether {@code packet} is an INITIATION with a valid mac1 for this server's key. */
  boolean isInitiation(byte[] packet) {
    return packet.length == Packets.INITIATION_BYTES && packet[0] == Packets.INITIATION
        && Packets.macEquals(packet, Packets.INITIATION_MAC1_OFFSET, Packets.mac(mac1Key, packet, Packets.INITIATION_MAC1_OFFSET));
  }

  /**
   * The RESPONSE to {@code initiation} from index {@code index}, its Noise payload carrying
   * {@code payloadSender} and {@code payloadReceiver} while the packet says {@code index} and the
   * initiation's sender index in clear; keeps the channel's keys. Null when it does not read.
   */
  byte[] respond(byte[] initiation, int index, int payloadSender, int payloadReceiver) {
    byte[] message = Arrays.copyOfRange(initiation, Packets.INITIATION_MESSAGE_OFFSET, Packets.INITIATION_MAC1_OFFSET);
    byte[] payload = new byte[Packets.RESPONSE_PAYLOAD_BYTES];
    Packets.putInt(payload, 0, payloadSender);
    Packets.putInt(payload, 4, payloadReceiver);
    NoiseNk.Response response = NoiseNk.respond(Packets.PROLOGUE, key, message, p -> true, payload, null);
    if (response == null) {
      return null;
    }
    clientIndex = Packets.getInt(initiation, Packets.INITIATION_SENDER_OFFSET);
    localIndex = index;
    initiationMac1 = Arrays.copyOfRange(initiation, Packets.INITIATION_MAC1_OFFSET, Packets.INITIATION_MAC2_OFFSET);
    sender = new NoiseJavaChaChaPoly(response.ciphers().getSender());
    receiver = new NoiseJavaChaChaPoly(response.ciphers().getReceiver());
    byte[] packet = new byte[Packets.RESPONSE_BYTES];
    packet[0] = Packets.RESPONSE;
    Packets.putInt(packet, Packets.RESPONSE_SENDER_OFFSET, index);
    Packets.putInt(packet, Packets.RESPONSE_RECEIVER_OFFSET, clientIndex);
    System.arraycopy(response.message(), 0, packet, Packets.RESPONSE_MESSAGE_OFFSET, Packets.RESPONSE_MESSAGE_BYTES);
    return packet;
  }

  /** A COOKIE packet: {@code cookie} sealed under {@code key} with {@code mac1} as associated data. */
  static byte[] cookie(int receiverIndex, byte[] nonce, byte[] mac1, byte[] cookie, byte[] key) {
    ByteBuffer out = ByteBuffer.allocate(Packets.COOKIE_PACKET_BYTES);
    out.put(Packets.COOKIE).putInt(receiverIndex).put(nonce);
    CookieSeal.seal(key, nonce, mac1, cookie, out);
    return out.array();
  }

  /**
   * A DATA packet of the channel carrying {@code frame} under {@code counter}. Noise reserves
   * the counter 2^64 - 1 and nothing seals under it: that packet is sealed under 0 and says
   * 2^64 - 1, the closest a sender can come (found by fuzzing, where the harness threw).
   */
  byte[] data(long counter, byte[] frame) {
    ByteBuffer out = ByteBuffer.allocate(Packets.DATA_HEADER_BYTES + frame.length + Aead.TAG_BYTES);
    out.put(Packets.DATA).putInt(clientIndex).putLong(counter);
    sender.seal(counter == -1 ? 0 : counter, new byte[0], ByteBuffer.wrap(frame), out);
    return out.array();
  }

  /** The frame in a DATA packet the client sent on this channel, or null when it does not open. */
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
