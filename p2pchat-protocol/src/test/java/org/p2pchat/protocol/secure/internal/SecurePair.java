package org.p2pchat.protocol.secure.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.p2pchat.protocol.secure.ServerKeyPair;
import org.p2pchat.api.ServerPublicKey;

/**
 * A secure server transport and a secure client transport on an in-memory network, both
 * driven by the test's own thread (polls of 0 ms: the network delivers at once) and a clock
 * the test moves. Every datagram either side sends is recorded by a {@link Tap}.
 */
final class SecurePair implements AutoCloseable {
  record Received(byte[] frame, InetSocketAddress from) {}

  final PacketNetwork network = new PacketNetwork();
  final AtomicLong clock = new AtomicLong(1_000_000);
  final ServerKeyPair serverKeys = ServerKeyPair.generate();
  final Tap serverWire;
  final Tap clientWire;
  final SecureServerTransport server;
  final SecureClientTransport client;
  final List<Received> atServer = new ArrayList<>();
  final List<Received> atClient = new ArrayList<>();

  SecurePair() throws Exception {
    this(null, SecureServerTransport.Limits.defaults(), SecureClientTransport.Options.defaults());
  }

  SecurePair(ServerPublicKey pinned, SecureServerTransport.Limits limits, SecureClientTransport.Options options)
      throws Exception {
    serverWire = new Tap(network.bindLoopback());
    clientWire = new Tap(network.bindLoopback());
    server = new SecureServerTransport(serverWire, serverKeys, limits, clock::get);
    client = new SecureClientTransport(clientWire, serverWire.localAddress(),
        pinned != null ? pinned : serverKeys.publicKey(), options, clock::get);
  }

  static SecureServerTransport.Limits underLoad(BooleanSupplier load) {
    return new SecureServerTransport.Limits(65_536, 1_000, load);
  }

  static ByteBuffer frame(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  void clientSends(String text) throws Exception {
    client.send(frame(text), serverWire.localAddress());
  }

  void serverSends(String text, InetSocketAddress to) throws Exception {
    server.send(frame(text), to);
  }

  /** Polls both sides until neither has anything left. */
  void pump() throws Exception {
    for (int i = 0; i < 100; i++) {
      int handled = server.poll(this::atServer, 0) + client.poll(this::atClient, 0);
      if (handled == 0) {
        return;
      }
    }
  }

  void pollServer() throws Exception {
    server.poll(this::atServer, 0);
  }

  void pollClient() throws Exception {
    client.poll(this::atClient, 0);
  }

  private void atServer(ByteBuffer frame, InetSocketAddress from) {
    atServer.add(new Received(copy(frame), from));
  }

  private void atClient(ByteBuffer frame, InetSocketAddress from) {
    atClient.add(new Received(copy(frame), from));
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  /** Establishes the channel with one frame from the client, and forgets what was recorded. */
  void establish() throws Exception {
    clientSends("hello");
    pump();
    if (!client.isEstablished() || atServer.size() != 1) {
      throw new AssertionError("the channel did not come up");
    }
    atServer.clear();
    serverWire.take();
    clientWire.take();
  }

  /** Delivers {@code packet} to the server as if from {@code from}. */
  void injectToServer(byte[] packet, InetSocketAddress from) throws Exception {
    network.inject(ByteBuffer.wrap(packet), from, serverWire.localAddress());
    pollServer();
  }

  /** Delivers {@code packet} to the client as if from the server. */
  void injectToClient(byte[] packet) throws Exception {
    network.inject(ByteBuffer.wrap(packet), serverWire.localAddress(), clientWire.localAddress());
    pollClient();
  }

  @Override
  public void close() throws java.io.IOException {
    server.close();
    client.close();
  }
}
