package org.p2pchat.testing;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ConnectionState;
import org.p2pchat.api.client.DeviceInfo;
import org.p2pchat.protocol.client.internal.ClientEngine;

/**
 * A client of an {@link EmbeddedServer}: the SDK's client engine, driven by the server's
 * {@link EmbeddedServer#runPendingTasks}. Every call is the engine's own; only closing differs,
 * since nothing but the test's thread runs the loop.
 */
final class EmbeddedClient implements ChatClient {
  private final EmbeddedServer server;
  final EmbeddedTransport transport;
  final ClientEngine engine;
  private boolean ended;

  EmbeddedClient(EmbeddedServer server, EmbeddedTransport transport, ClientEngine engine) {
    this.server = server;
    this.transport = transport;
    this.engine = engine;
  }

  @Override
  public CompletableFuture<Void> register(UserName name, String password) {
    return engine.register(name, password);
  }

  @Override
  public CompletableFuture<Void> login(UserName name, String password) {
    return engine.login(name, password);
  }

  @Override
  public CompletableFuture<ChatMessage> send(UserName recipient, String body) {
    return engine.send(recipient, body);
  }

  @Override
  public CompletableFuture<HistoryPage> history(HistoryQuery query) {
    return engine.history(query);
  }

  @Override
  public CompletableFuture<List<ChatMessage>> readHistory(HistoryQuery from, int maxMessages) {
    return engine.readHistory(from, maxMessages);
  }

  @Override
  public CompletableFuture<Void> markRead(Collection<Long> messageIds) {
    return engine.markRead(messageIds);
  }

  @Override
  public CompletableFuture<Void> logout() {
    return engine.logout();
  }

  @Override
  public org.p2pchat.api.client.RoomClient rooms() {
    return engine.rooms();
  }

  @Override
  public org.p2pchat.api.client.ContactClient contacts() {
    return engine.contacts();
  }

  @Override
  public Optional<UserName> user() {
    return engine.user();
  }

  @Override
  public CompletableFuture<Void> login(UserName name, String password, String deviceName) {
    return engine.login(name, password, deviceName);
  }

  @Override
  public CompletableFuture<Void> resume() {
    return engine.resume();
  }

  @Override
  public CompletableFuture<List<DeviceInfo>> devices() {
    return engine.devices();
  }

  @Override
  public CompletableFuture<Void> revokeDevice(long deviceId) {
    return engine.revokeDevice(deviceId);
  }

  @Override
  public CompletableFuture<Void> logoutEverywhere() {
    return engine.logoutEverywhere();
  }

  @Override
  public CompletableFuture<Void> deleteAccount(String password) {
    return engine.deleteAccount(password);
  }

  @Override
  public CompletableFuture<org.p2pchat.api.client.AccountInfo> account() {
    return engine.account();
  }

  @Override
  public CompletableFuture<org.p2pchat.api.client.ExportSummary> exportTo(java.io.Writer out) {
    return engine.exportTo(out);
  }

  @Override
  public ConnectionState connectionState() {
    return engine.connectionState();
  }

  /** Logs out if logged in (the server runs it), then ends the client. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    if (engine.user().isPresent()) {
      engine.endSession(); // LOGOUT, keeping the device credential, as a client's close does
      server.runPendingTasks();
    }
    end();
  }

  /** Ends the client without a word to the server: its requests in flight fail CLOSED. */
  void end() {
    if (!ended) {
      ended = true;
      engine.loop().closeDriven();
      server.removeClient(this);
    }
  }
}
