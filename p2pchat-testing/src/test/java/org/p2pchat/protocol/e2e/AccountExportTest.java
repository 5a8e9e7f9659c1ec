package org.p2pchat.protocol.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.p2pchat.protocol.e2e.ChatFixture.FAST_HASHING;
import static org.p2pchat.protocol.e2e.ChatFixture.PASSWORD;
import static org.p2pchat.protocol.e2e.ChatFixture.await;
import static org.p2pchat.protocol.e2e.ChatFixture.name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.Room;
import org.p2pchat.api.RoomHistoryPage;
import org.p2pchat.api.RoomMessage;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ExportSummary;
import org.p2pchat.api.server.ChatServer;
import org.p2pchat.api.store.NewMessage;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ChatServers;
import org.p2pchat.testing.InMemoryChatStore;

/**
 * The export of section 22.3 end to end, over real loopback UDP inside the secure channel: a
 * user with a few thousand messages, one-to-one both ways and in rooms, exports exactly their
 * history, read back with a JSON parser.
 */
class AccountExportTest {
  private static final Instant T0 = Instant.parse("2026-06-01T08:00:00.250Z");
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ChatServer server;

  @TempDir
  Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private ChatClient user(String user) throws Exception {
    ChatClient c = ChatClients.builder().server(server.localAddress()).serverKey(ChatFixture.keyOf(server))
        .listener(new ChatFixture.Inbox()).build();
    open.add(c);
    await(c.register(name(user), PASSWORD));
    await(c.login(name(user), PASSWORD));
    return c;
  }

  @Test
  void theExportOfAUserWithThousandsOfMessagesMatchesTheirHistoryExactly() throws Exception {
    server = ChatServers.builder().store(store).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .config(FAST_HASHING).build();
    open.add(server);
    ChatClient alice = user("alice");
    ChatClient bob = user("bob");
    user("carol");
    user("mallory");
    List<NewMessage> batch = new ArrayList<>();
    String[] peers = {"bob", "carol"};
    for (int i = 0; i < 3000; i++) {
      UserName peer = name(peers[i % 2]);
      String body = "message " + i + (i % 7 == 0 ? " \"quoted\" \\ \n\t caf\u00e9 \uD83D\uDE00 \u2028 \u0001" : "");
      batch.add(i % 3 == 0 ? NewMessage.of(peer, name("alice"), body, T0.plusMillis(i))
          : NewMessage.of(name("alice"), peer, body, T0.plusMillis(i)));
      if (batch.size() == 500) {
        await(store.append(batch));
        batch.clear();
      }
    }
    await(store.append(List.of(NewMessage.of(name("bob"), name("carol"), "not alice's", T0))));
    ChatMessage read = await(bob.send(name("alice"), "read this"));
    await(alice.markRead(List.of(read.id())));
    Room team = await(alice.rooms().create("team \"one\""));
    await(alice.rooms().add(team.id(), name("bob")));
    Room other = await(bob.rooms().create("bob's"));
    await(bob.rooms().add(other.id(), name("alice")));
    for (int i = 0; i < 250; i++) {
      await(store.rooms().appendToRoom(i % 2 == 0 ? team.id() : other.id(), name(i % 3 == 0 ? "bob" : "alice"),
          "room message " + i, T0.plusMillis(i)));
    }
    await(alice.rooms().markRead(team.id(), Long.MAX_VALUE >> 1));
    await(alice.contacts().add(name("bob")));
    await(alice.contacts().add(name("carol")));
    await(alice.contacts().block(name("mallory")));

    Path file = dir.resolve("alice.json");
    ExportSummary summary = await(alice.exportTo(file));

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode doc = new ObjectMapper().readTree(file.toFile());
    assertThat(doc.get("format").asText()).isEqualTo("p2pchat-export");
    assertThat(doc.get("version").asInt()).isEqualTo(1);
    assertThat(doc.at("/account/name").asText()).isEqualTo("alice");
    assertThat(Instant.parse(doc.at("/account/createdAt").asText()))
        .isEqualTo(await(alice.account()).createdAt());
    assertThat(texts(doc.get("contacts"))).containsExactly("bob", "carol");
    assertThat(texts(doc.get("blocks"))).containsExactly("mallory");

    List<ChatMessage> history = allHistory(alice);
    assertThat(history).hasSize(3001);
    JsonNode messages = doc.get("messages");
    assertThat(messages.size()).isEqualTo(history.size());
    for (int i = 0; i < history.size(); i++) {
      ChatMessage m = history.get(i);
      JsonNode e = messages.get(i);
      assertThat(e.get("id").asLong()).isEqualTo(m.id());
      assertThat(e.get("sender").asText()).isEqualTo(m.sender().value());
      assertThat(e.get("recipient").asText()).isEqualTo(m.recipient().value());
      assertThat(Instant.parse(e.get("sentAt").asText())).isEqualTo(m.sentAt());
      assertThat(e.get("state").asText()).isEqualTo(m.state().name());
      assertThat(e.get("body").asText()).isEqualTo(m.body());
    }

    JsonNode rooms = doc.get("rooms");
    assertThat(rooms.size()).isEqualTo(2);
    long roomMessages = 0;
    for (JsonNode r : rooms) {
      long id = r.get("id").asLong();
      Room room = id == team.id() ? team : other;
      assertThat(r.get("title").asText()).isEqualTo(room.title());
      assertThat(r.get("owner").asText()).isEqualTo(room.owner().value());
      List<String> members = new ArrayList<>();
      r.get("members").forEach(m -> members.add(m.get("name").asText()));
      assertThat(members).containsExactlyInAnyOrder("alice", "bob");
      List<RoomMessage> roomHistory = allRoomHistory(alice, id);
      JsonNode exported = r.get("messages");
      assertThat(exported.size()).isEqualTo(roomHistory.size());
      for (int i = 0; i < roomHistory.size(); i++) {
        RoomMessage m = roomHistory.get(i);
        JsonNode e = exported.get(i);
        assertThat(e.get("id").asLong()).isEqualTo(m.id());
        assertThat(e.get("sender").asText()).isEqualTo(m.sender().value());
        assertThat(Instant.parse(e.get("sentAt").asText())).isEqualTo(m.sentAt());
        assertThat(e.get("readCount").asInt()).isEqualTo(m.readCount());
        assertThat(e.get("body").asText()).isEqualTo(m.body());
      }
      roomMessages += roomHistory.size();
    }
    assertThat(roomMessages).isEqualTo(250);
    assertThat(summary).isEqualTo(new ExportSummary(2, 1, 2, 250, 3001));
    assertThat(doc.at("/counts/messages").asLong()).isEqualTo(3001);
    assertThat(doc.at("/counts/roomMessages").asLong()).isEqualTo(250);

    assertThat(ChatFixture.failureOf(alice.exportTo(file))).as("an existing file is never overwritten")
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(Files.size(file)).isPositive();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<ChatMessage> allHistory(ChatClient c) {
    List<ChatMessage> all = new ArrayList<>();
    long cursor = 0;
    while (true) {
      HistoryPage page = await(c.history(HistoryQuery.builder().direction(HistoryQuery.Direction.AFTER)
          .cursor(cursor).limit(100).build()));
      all.addAll(page.messages());
      OptionalLong next = page.nextCursor();
      if (next.isEmpty()) {
        return all;
      }
      cursor = next.getAsLong();
    }
  }

  private static List<RoomMessage> allRoomHistory(ChatClient c, long roomId) {
    List<RoomMessage> all = new ArrayList<>();
    long cursor = 0;
    while (true) {
      RoomHistoryPage page = await(c.rooms().history(roomId, HistoryQuery.builder()
          .direction(HistoryQuery.Direction.AFTER).cursor(cursor).limit(100).build()));
      all.addAll(page.messages());
      if (page.nextCursor().isEmpty()) {
        return all;
      }
      cursor = page.nextCursor().getAsLong();
    }
  }
}
