package org.p2pchat.protocol.secure.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.protocol.secure.ServerKeyPair;

/**
 * A plain program (not a test) that writes the seed inputs of {@link SecureServerFuzzTest} and
 * {@link SecureClientFuzzTest}: packets captured from a real exchange between a
 * {@link SecureClientTransport} and a {@link SecureServerTransport} holding {@link #SERVER_KEYS}
 * (handshakes, a cookie exchange under load, data both ways, a key request), and for the
 * structure-aware targets, scripts that walk each of their actions once. Run from the protocol
 * module, with the test classpath:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:... org.p2pchat.protocol.secure.internal.SecureFuzzSeeds src/test/resources
 * </pre>
 */
public final class SecureFuzzSeeds {
  /**
   * The fuzzed server's key: fixed, so the captured initiations in the seeds stay addressed to
   * it (their mac1 and Noise message are made for this key). A test key, nothing else.
   */
  static final ServerKeyPair SERVER_KEYS = ServerKeyPair.fromPrivateKey(
      HexFormat.of().parseHex("a8abababababababababababababababababababababababababababababab6b"));

  /** A v1 PING and a v1 OK answering a SEND, as the frame decoder's seeds hold them. */
  private static final byte[] PING = HexFormat.of().parseHex("503201060001020304050607080011223344556677889900aabbccddeeff");
  private static final byte[] OK_SEND = HexFormat.of().parseHex("5032018000010203040506070804000000000000002a0000019b76daa800");

  private SecureFuzzSeeds() {}

  /** Writes every seed under {@code args[0]} (the test resources directory). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]).resolve("org/p2pchat/protocol/secure/internal");
    Map<String, byte[]> captured = capture();
    write(root.resolve("SecureServerFuzzTestInputs/aStrangersPacketIsAnsweredNoLargerReachesNothingAndChangesNothingUnlessAccepted"),
        captured);
    write(root.resolve("SecureClientFuzzTestInputs/aSpoofedServersPacketSendsNothingDeliversNothingAndSpoilsNoChannel"),
        captured);
    write(root.resolve("SecureServerFuzzTestInputs/aPacketWithOneFieldWrongChangesNothingAndTheLiveChannelKeepsWorking"),
        serverScripts(captured));
    write(root.resolve("SecureClientFuzzTestInputs/aMaliciousServersPacketWithOneFieldWrongChangesNothing"),
        clientScripts());
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
    }
  }

  /** Every kind of packet, from a real client and server talking through wires without a network. */
  static Map<String, byte[]> capture() throws IOException {
    Map<String, byte[]> packets = new LinkedHashMap<>();
    AtomicLong clock = new AtomicLong(1_000_000);
    AtomicBoolean loaded = new AtomicBoolean();
    InetSocketAddress serverAddress = FakeWire.address(0, 7000);
    FakeWire serverWire = new FakeWire(serverAddress);
    SecureServerTransport server = new SecureServerTransport(serverWire, SERVER_KEYS,
        new SecureServerTransport.Limits(16, 1_000, loaded::get), clock::get);

    FakeWire clientWire = new FakeWire(FakeWire.address(7, 45_000));
    SecureClientTransport client = new SecureClientTransport(clientWire, serverAddress, SERVER_KEYS.publicKey(),
        SecureClientTransport.Options.defaults(), clock::get);
    client.send(ByteBuffer.wrap(PING), serverAddress);
    packets.put("initiation", only(clientWire.take()));
    packets.put("response", exchange(packets.get("initiation"), clientWire.localAddress(), serverWire, server));
    packets.put("data-from-client", exchange(packets.get("response"), serverAddress, clientWire, client));
    serverWire.deliver(packets.get("data-from-client"), clientWire.localAddress());
    server.poll((frame, from) -> { }, 0);
    server.send(ByteBuffer.wrap(OK_SEND), clientWire.localAddress());
    packets.put("data-from-server", only(serverWire.take()));

    loaded.set(true);
    FakeWire otherWire = new FakeWire(FakeWire.address(7, 45_001));
    SecureClientTransport other = new SecureClientTransport(otherWire, serverAddress, SERVER_KEYS.publicKey(),
        SecureClientTransport.Options.defaults(), clock::get);
    other.send(ByteBuffer.wrap(PING), serverAddress);
    byte[] initiation = only(otherWire.take());
    packets.put("cookie", exchange(initiation, otherWire.localAddress(), serverWire, server));
    packets.put("initiation-with-mac2", exchange(packets.get("cookie"), serverAddress, otherWire, other));
    byte[] response = exchange(packets.get("initiation-with-mac2"), otherWire.localAddress(), serverWire, server);
    if (response[0] != Packets.RESPONSE) {
      throw new IllegalStateException("the initiation with a cookie was not answered");
    }

    byte[] request = new byte[Packets.KEY_REQUEST_BYTES];
    request[0] = Packets.KEY_REQUEST;
    packets.put("key-request", request);
    packets.put("key-reply", exchange(request, otherWire.localAddress(), serverWire, server));
    return packets;
  }

  private static byte[] exchange(byte[] packet, InetSocketAddress from, FakeWire wire,
      org.p2pchat.api.transport.Transport side) throws IOException {
    wire.deliver(packet, from);
    side.poll((frame, sender) -> { }, 0);
    return only(wire.take());
  }

  private static byte[] only(List<FakeWire.Sent> sent) {
    if (sent.size() != 1) {
      throw new IllegalStateException("expected one packet, got " + sent.size());
    }
    return sent.get(0).bytes();
  }

  /** Scripts for the server's structure-aware target: each of its actions once, and a captured packet. */
  static Map<String, byte[]> serverScripts(Map<String, byte[]> captured) {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("valid-data-then-replay-then-roaming", new Input().integer(3, 1, 8)
        .integer(0, 0, 9).integer(PING.length, 0, 1200).bytes(PING).integer(0, 0, 4).integer(3, 0, 3)
        .integer(0, 0, 9).integer(PING.length, 0, 1200).bytes(PING).integer(1, 0, 4).fullInt(0).integer(3, 0, 3)
        .integer(0, 0, 9).integer(PING.length, 0, 1200).bytes(PING).integer(0, 0, 4).integer(1, 0, 3).build());
    s.put("data-ahead-then-behind-the-window", new Input().integer(2, 1, 8)
        .integer(0, 0, 9).integer(PING.length, 0, 1200).bytes(PING).integer(2, 0, 4).longValue(5_000, 1, 1L << 21)
        .integer(3, 0, 3)
        .integer(0, 0, 9).integer(PING.length, 0, 1200).bytes(PING).integer(3, 0, 4)
        .longValue(ReplayWindow.WINDOW + 5, 1, 2 * ReplayWindow.WINDOW).integer(3, 0, 3).build());
    int dataBits = (Packets.DATA_HEADER_BYTES + PING.length + Aead.TAG_BYTES) * 8;
    s.put("data-wrong-index", new Input().integer(1, 1, 8).integer(1, 0, 9).integer(PING.length, 0, 1200).bytes(PING)
        .integer(0, 0, 4).fullInt(0x01020304).integer(3, 0, 3).build());
    s.put("data-wrong-counter", new Input().integer(1, 1, 8).integer(1, 0, 9).integer(PING.length, 0, 1200).bytes(PING)
        .integer(1, 0, 4).integer(3, 0, 63).integer(3, 0, 3).build());
    s.put("data-flipped-tag-bit", new Input().integer(1, 1, 8).integer(1, 0, 9).integer(PING.length, 0, 1200)
        .bytes(PING).integer(2, 0, 4).integer(dataBits - 1, Packets.DATA_HEADER_BYTES * 8, dataBits - 1)
        .integer(3, 0, 3).build());
    s.put("data-truncated", new Input().integer(1, 1, 8).integer(1, 0, 9).integer(PING.length, 0, 1200).bytes(PING)
        .integer(3, 0, 4).integer(20, 0, dataBits / 8 - 1).integer(3, 0, 3).build());
    s.put("data-extended", new Input().integer(1, 1, 8).integer(1, 0, 9).integer(PING.length, 0, 1200).bytes(PING)
        .integer(4, 0, 4).integer(4, 1, 64).bytes(new byte[] {1, 2, 3, 4}).integer(3, 0, 3).build());
    s.put("valid-initiation", new Input().integer(1, 1, 8).integer(2, 0, 9).integer(3, 0, 3).fullInt(77)
        .bool(true).fullInt(78).build());
    s.put("under-load-initiation-with-cookie", new Input().integer(2, 1, 8).integer(8, 0, 9)
        .integer(2, 0, 9).integer(0, 0, 3).fullInt(79).bool(true).fullInt(80).build());
    for (int variant = 0; variant <= 5; variant++) {
      Input in = new Input().integer(1, 1, 8).integer(3, 0, 9).fullInt(81).integer(variant, 0, 5);
      switch (variant) {
        case 0 -> in.integer(Packets.INITIATION_MAC1_OFFSET + 3, Packets.INITIATION_MAC1_OFFSET,
            Packets.INITIATION_MAC2_OFFSET - 1).integer(0x40, 1, 255);
        case 1 -> in.integer(1, 1, Integer.MAX_VALUE);
        case 2 -> in.integer(Packets.INITIATION_MESSAGE_OFFSET + 40, Packets.INITIATION_MESSAGE_OFFSET,
            Packets.INITIATION_MAC1_OFFSET - 1).integer(1, 1, 255);
        case 3 -> in.bool(false);
        case 4 -> in.bytes(new byte[Packets.MAC_BYTES]);
        default -> in.bool(true).integer(57, 0, Packets.INITIATION_BYTES - 1);
      }
      s.put("initiation-wrong-" + List.of("mac1", "index", "message", "ephemeral", "mac2", "length").get(variant),
          in.integer(3, 0, 3).build());
    }
    s.put("key-request", new Input().integer(1, 1, 8).integer(4, 0, 9).bool(true).integer(0, 0, 3).build());
    s.put("key-request-wrong-length", new Input().integer(1, 1, 8).integer(4, 0, 9).bool(false).integer(65, 1, 200)
        .integer(0, 0, 3).build());
    s.put("cookie-to-the-server", new Input().integer(1, 1, 8).integer(5, 0, 9)
        .integer(captured.get("cookie").length - 1, 0, 1300).bytes(tail(captured.get("cookie"))).integer(1, 0, 6)
        .integer(0, 0, 3).build());
    s.put("captured-initiation-as-raw-bytes", new Input().integer(1, 1, 8).integer(6, 0, 9)
        .integer(Packets.INITIATION_BYTES, 0, 1293).bytes(captured.get("initiation")).build());
    s.put("time-passes-past-a-renewal", new Input().integer(8, 1, 8)
        .integer(7, 0, 9).integer(30_000, 0, 30_000).integer(7, 0, 9).integer(30_000, 0, 30_000)
        .integer(7, 0, 9).integer(30_000, 0, 30_000).integer(7, 0, 9).integer(30_000, 0, 30_000)
        .integer(7, 0, 9).integer(30_000, 0, 30_000).integer(7, 0, 9).integer(30_000, 0, 30_000)
        .integer(9, 0, 9).integer(OK_SEND.length, 0, 1201).bytes(OK_SEND)
        .integer(9, 0, 9).integer(1201, 0, 1201).bytes(new byte[1201]).build());
    return s;
  }

  /** Scripts for the client's structure-aware target. */
  static Map<String, byte[]> clientScripts() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    for (int variant = 0; variant <= 6; variant++) {
      Input in = new Input().integer(2, 1, 8).integer(0, 0, 7).integer(variant, 0, 6);
      switch (variant) {
        case 0, 1, 2 -> in.integer(1, 1, Integer.MAX_VALUE);
        case 3 -> in.integer(Packets.RESPONSE_BYTES * 8 - 1, Packets.RESPONSE_MESSAGE_OFFSET * 8,
            Packets.RESPONSE_BYTES * 8 - 1);
        case 4 -> in.bool(true).integer(64, 0, Packets.RESPONSE_BYTES - 1);
        case 5 -> { }
        default -> in.bool(false);
      }
      s.put("response-wrong-" + List.of("receiver", "sender-in-clear", "authenticated-receiver", "bit", "length",
          "key", "ephemeral").get(variant), in.integer(3, 0, 7).build());
    }
    for (int variant = 0; variant <= 4; variant++) {
      Input in = new Input().integer(1, 1, 8).integer(1, 0, 7).integer(variant, 0, 4);
      switch (variant) {
        case 0 -> in.integer(1, 1, Integer.MAX_VALUE);
        case 1 -> in.integer(0, 0, Packets.MAC_BYTES - 1).integer(1, 1, 255);
        case 2 -> { }
        case 3 -> in.integer(Packets.COOKIE_NONCE_OFFSET * 8, Packets.COOKIE_NONCE_OFFSET * 8,
            Packets.COOKIE_PACKET_BYTES * 8 - 1);
        default -> in.bool(false).integer(50, Packets.COOKIE_PACKET_BYTES + 1, 200);
      }
      s.put("cookie-wrong-" + List.of("receiver", "mac1", "key", "bit", "length").get(variant), in.build());
    }
    s.put("valid-cookie-twice-then-response", new Input().integer(3, 1, 8)
        .integer(2, 0, 7).bytes(new byte[Packets.COOKIE_BYTES])
        .integer(2, 0, 7).bytes(new byte[Packets.COOKIE_BYTES])
        .integer(3, 0, 7).build());
    s.put("frames-queued-then-response-then-data", new Input().integer(6, 1, 8)
        .integer(4, 0, 7).integer(PING.length, 0, 1200).bytes(PING)
        .integer(3, 0, 7)
        .integer(4, 0, 7).integer(PING.length, 0, 1200).bytes(PING)
        .integer(5, 0, 7).integer(OK_SEND.length, 0, 1200).bytes(OK_SEND).integer(0, 0, 4)
        .integer(5, 0, 7).integer(OK_SEND.length, 0, 1200).bytes(OK_SEND).integer(1, 0, 4).fullInt(0)
        .integer(3, 0, 7).build());
    for (int variant = 0; variant <= 3; variant++) {
      Input in = new Input().integer(2, 1, 8).integer(3, 0, 7)
          .integer(6, 0, 7).integer(OK_SEND.length, 0, 1200).bytes(OK_SEND).integer(variant, 0, 3);
      int bits = (Packets.DATA_HEADER_BYTES + OK_SEND.length + Aead.TAG_BYTES) * 8;
      switch (variant) {
        case 0 -> in.integer(1, 1, Integer.MAX_VALUE);
        case 1 -> in.integer(0, 0, 63);
        case 2 -> in.integer(bits - 1, Packets.DATA_HEADER_BYTES * 8, bits - 1);
        default -> in.integer(28, 0, bits / 8 - 1);
      }
      s.put("data-wrong-" + List.of("receiver", "counter", "bit", "length").get(variant), in.build());
    }
    s.put("data-ahead-and-behind", new Input().integer(3, 1, 8).integer(3, 0, 7)
        .integer(5, 0, 7).integer(OK_SEND.length, 0, 1200).bytes(OK_SEND).integer(2, 0, 4).longValue(3_000, 1, 1L << 21)
        .integer(5, 0, 7).integer(OK_SEND.length, 0, 1200).bytes(OK_SEND).integer(3, 0, 4)
        .longValue(ReplayWindow.WINDOW + 1, 1, 2 * ReplayWindow.WINDOW).build());
    s.put("other-types", new Input().integer(2, 1, 8)
        .integer(7, 0, 7).integer(Packets.INITIATION_BYTES - 1, 0, 1300).bytes(new byte[Packets.INITIATION_BYTES - 1])
        .integer(0, 0, 6)
        .integer(7, 0, 7).integer(Packets.KEY_REPLY_BYTES - 1, 0, 1300).bytes(new byte[Packets.KEY_REPLY_BYTES - 1])
        .integer(2, 0, 6).build());
    return s;
  }

  private static byte[] tail(byte[] packet) {
    return java.util.Arrays.copyOfRange(packet, 1, packet.length);
  }

  /**
   * Writes what Jazzer's {@code FuzzedDataProvider} reads back: byte arrays from the front of the
   * input, integers from its end, most significant byte first, as few bytes as the range needs.
   * Jazzer 0.30 returns a raw value inside {@code [min, max]} as it is and reduces others to
   * {@code min + raw % (max - min + 1)} (checked against its native provider), so a value is
   * written as itself. Calls go in the order the target consumes.
   */
  static final class Input {
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    Input integer(long value, long min, long max) {
      return inRange(value, min, max, Integer.BYTES);
    }

    Input longValue(long value, long min, long max) {
      return inRange(value, min, max, Long.BYTES);
    }

    private Input inRange(long value, long min, long max, int width) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(value + " is not in [" + min + ", " + max + "]");
      }
      int n = bytesFor(max - min, width);
      boolean fits = n == Long.BYTES || value >>> (8 * n) == 0;
      return unsigned(fits ? value : value - min, max - min, width);
    }

    private static int bytesFor(long range, int width) {
      int n = 0;
      while (n < width && (range >>> (8 * n)) != 0) {
        n++;
      }
      return n;
    }

    /** {@code consumeInt()} without a range: four bytes, the value itself. */
    Input fullInt(int value) {
      return unsigned(value & 0xffffffffL, -1L >>> 32, Integer.BYTES);
    }

    Input bool(boolean value) {
      back.write(value ? 1 : 0);
      return this;
    }

    Input bytes(byte[] value) {
      front.writeBytes(value);
      return this;
    }

    private Input unsigned(long offset, long range, int width) {
      int n = bytesFor(range, width);
      for (int i = n - 1; i >= 0; i--) {
        back.write((int) (offset >>> (8 * i)));
      }
      return this;
    }

    byte[] build() {
      byte[] tail = back.toByteArray();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(front.toByteArray());
      for (int i = tail.length - 1; i >= 0; i--) {
        all.write(tail[i]);
      }
      return all.toByteArray();
    }
  }
}
