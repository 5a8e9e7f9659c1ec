package org.p2pchat.cli.ref;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.ServerPublicKey;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.ChatListener;
import org.p2pchat.api.client.FileTransfer;
import org.p2pchat.api.client.IncomingFile;
import org.p2pchat.api.client.PeerPath;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.protocol.ClientConfig;

/**
 * One side of {@link PeerToPeerNatIT}, run as its own process on a host behind a NAT: registers
 * and logs in as a device, adds the peer as a contact, opens a peer channel (the {@code caller}
 * asks, the {@code callee} waits to be asked), exchanges {@value #MESSAGES} messages each way,
 * and moves a file of the given size from caller to callee. Prints one line per step
 * ({@code PATH DIRECT}, {@code PROGRESS n}, ...) and a last line starting with OK or FAIL; its
 * exit status is its verdict.
 *
 * <p>Arguments: {@code SERVER_HOST SERVER_PORT USER PEER caller|callee DIRECT(true|false)
 * FILE_BYTES WORK_DIR}; the server key comes in {@code -Dp2pchat.serverKey}.
 */
public final class NatPeerDriver {
  static final int MESSAGES = 20;
  private static final ClientConfig.Builder PATIENT = ClientConfig.builder()
      .initialRetransmitTimeout(Duration.ofMillis(200)).maxAttempts(20).requestDeadline(Duration.ofSeconds(60));

  private final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
  private final BlockingQueue<PeerPath> paths = new LinkedBlockingQueue<>();
  private final CompletableFuture<String> received = new CompletableFuture<>();
  private final Set<Long> seenIds = ConcurrentHashMap.newKeySet();
  private volatile Path downloads;

  private NatPeerDriver() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    String outcome;
    try {
      outcome = new NatPeerDriver().run(args);
    } catch (Exception e) {
      outcome = "FAIL " + e;
    }
    System.out.println(outcome);
    System.out.flush();
    System.exit(outcome.startsWith("OK") ? 0 : 1);
  }

  private String run(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    UserName user = UserName.of(args[2]);
    UserName peer = UserName.of(args[3]);
    boolean caller = args[4].equals("caller");
    boolean direct = Boolean.parseBoolean(args[5]);
    long fileBytes = Long.parseLong(args[6]);
    Path work = Files.createDirectories(Path.of(args[7]));
    downloads = Files.createDirectories(work.resolve("downloads-" + user.value()));
    String password = user.value() + "-password";
    ChatListener listener = new ChatListener() {
      @Override
      public void onMessage(ChatMessage message) {
        if (!seenIds.add(message.id())) {
          System.out.println("DUPLICATE " + message.id());
        }
        messages.add(message);
      }

      @Override
      public void onPeerPathChanged(UserName contact, long deviceId, PeerPath path) {
        System.out.println("PATH " + path);
        System.out.flush();
        paths.add(path);
      }

      @Override
      public void onFileOffered(IncomingFile file) {
        file.accept(downloads);
      }

      @Override
      public void onFileProgress(FileTransfer transfer, long doneBytes) {
        System.out.println("PROGRESS " + doneBytes);
        System.out.flush();
      }

      @Override
      public void onFileReceived(FileTransfer transfer, Path file, String sha256) {
        received.complete(sha256 + " " + file);
      }

      @Override
      public void onFileFailed(FileTransfer transfer, String reason) {
        received.completeExceptionally(new IllegalStateException(reason));
      }
    };
    try (ChatClient client = ChatClients.builder().server(server)
        .serverKey(ServerPublicKey.parse(System.getProperty("p2pchat.serverKey")))
        .config(PATIENT.directConnections(direct).build()).listener(listener).build()) {
      try {
        client.register(user, password).get(2, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ChatException c && c.code() == ErrorCode.NAME_TAKEN)) {
          return "FAIL register: " + e.getCause();
        }
      }
      client.login(user, password, user.value() + "'s laptop").get(2, TimeUnit.MINUTES);
      client.contacts().add(peer).get(2, TimeUnit.MINUTES);

      PeerPath path = caller ? call(client, peer) : paths.poll(90, TimeUnit.SECONDS);
      if (path == null) {
        return "FAIL no channel to " + peer.value();
      }
      System.out.println("CHANNEL " + path);
      for (int i = 0; i < MESSAGES; i++) {
        client.send(peer, user.value() + " message " + i).get(2, TimeUnit.MINUTES);
      }
      for (int i = 0; i < MESSAGES; i++) {
        ChatMessage m = messages.poll(60, TimeUnit.SECONDS);
        if (m == null) {
          return "FAIL only " + i + " of " + MESSAGES + " messages from " + peer.value();
        }
      }
      String file = "";
      if (fileBytes > 0 && caller) {
        Path out = work.resolve("sent-" + user.value() + ".bin");
        writeRandom(out, fileBytes);
        long started = System.nanoTime();
        String sha = client.peers().sendFile(peer, out).get(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!sha.equals(sha256(out))) {
          return "FAIL the receiver checked " + sha + ", the file's hash is " + sha256(out);
        }
        file = String.format(" FILE %d bytes in %.2f s, %.1f MB/s, sha %s", fileBytes, seconds,
            fileBytes / seconds / 1e6, sha);
      } else if (fileBytes > 0) {
        String got = received.get(5, TimeUnit.MINUTES);
        String sha = got.substring(0, got.indexOf(' '));
        Path at = Path.of(got.substring(got.indexOf(' ') + 1));
        if (!sha.equals(sha256(at)) || Files.size(at) != fileBytes) {
          return "FAIL the received file does not match: " + at;
        }
        file = " FILE received " + Files.size(at) + " bytes, sha " + sha;
      }
      if (!caller) {
        // Stay until the caller leaves (its BYE closes the link), so that a DONE lost on the way
        // is answered again when the caller offers anew.
        for (PeerPath p = paths.poll(10, TimeUnit.SECONDS); p != null && p != PeerPath.CLOSED; ) {
          p = paths.poll(10, TimeUnit.SECONDS);
        }
      }
      return "OK " + MESSAGES + " messages each way, channel " + path + ", path now "
          + client.peers().path(peer).map(Object::toString).orElse("none") + file;
    }
  }

  /** Asks until the peer is there (online and a mutual contact): the two start at the same time. */
  private PeerPath call(ChatClient client, UserName peer) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        return client.peers().connect(peer).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ChatException c && c.code() == ErrorCode.PEER_UNAVAILABLE)) {
          throw e;
        }
        paths.poll(300, TimeUnit.MILLISECONDS); // the peer is not there yet: ask again soon
      }
    }
    return null;
  }

  private static void writeRandom(Path file, long bytes) throws Exception {
    Random random = new Random(bytes);
    byte[] block = new byte[1 << 16];
    try (var out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] b = new byte[1 << 16];
      for (int n; (n = in.read(b)) > 0; ) {
        d.update(b, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
