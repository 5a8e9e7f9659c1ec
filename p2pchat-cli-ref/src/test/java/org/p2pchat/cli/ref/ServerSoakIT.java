package org.p2pchat.cli.ref;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.protocol.ChatClients;
import org.p2pchat.api.ServerPublicKey;

/**
 * The soak run of docs/reliability.md, not part of CI: the real server under mixed load
 * (sends, history pages, login and logout churn, junk datagrams) for
 * {@code -Dp2pchat.soak.minutes=N} minutes. Its heap after a full GC, sampled each minute, levels
 * off (the end is within 25% or 16 MiB of the first half's peak: the bounded tables fill up
 * early, a leak keeps growing) and its open files at the end are those of the first minute.
 * Skipped unless that property is set.
 */
class ServerSoakIT {
  private static final String MINUTES = System.getProperty("p2pchat.soak.minutes");
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\S+, used (\\d+)K");
  private static final String PASSWORD = "soak-test-password";
  /** Requests of the history and login threads that failed (busy, timed out) and were retried. */
  private static final AtomicLong FAILURES = new AtomicLong();

  @TempDir Path dir;

  @Test
  void mixedLoadLeavesHeapAndOpenFilesStable() throws Exception {
    Assumptions.assumeTrue(MINUTES != null, "the soak run is on demand: -Dp2pchat.soak.minutes=10");
    long minutes = Long.parseLong(MINUTES);
    List<String> users = List.of("soak0", "soak1", "soak2", "soak3");
    try (ServerProcess server = ServerProcess.start(List.of(), dir.resolve("server.log"),
        "--bind", "127.0.0.1", "--port", "0", "--db", dir.resolve("soak.db").toString(),
        "--login-attempts-per-address", "1000000", "--login-attempts-per-account", "1000000")) {
      InetSocketAddress address = new InetSocketAddress(server.host, server.port);
      try (ChatClient client = server.client().build()) {
        for (String user : users) {
          client.register(UserName.of(user), PASSWORD).get(30, TimeUnit.SECONDS);
        }
      }

      CountDownLatch stop = new CountDownLatch(1);
      AckLog acked = new AckLog();
      AtomicLong pages = new AtomicLong();
      AtomicLong logins = new AtomicLong();
      AtomicLong junk = new AtomicLong();
      List<Thread> load = new ArrayList<>();
      for (String user : users.subList(0, 2)) {
        List<String> peers = new ArrayList<>(users);
        peers.remove(user);
        load.add(new Thread(new AckedSender(address, server.key, user, PASSWORD, peers, stop, acked), "soak-send-" + user));
      }
      load.add(new Thread(() -> readHistory(address, server.key, users.get(2), stop, pages), "soak-history"));
      load.add(new Thread(() -> churnLogins(address, server.key, users.get(3), stop, logins), "soak-logins"));
      load.add(new Thread(() -> sendJunk(address, stop, junk), "soak-junk"));
      load.forEach(Thread::start);

      // Heap after a full GC and open files once a minute: bounded tables fill up in the first
      // minutes, then both must level off.
      long start = System.nanoTime();
      List<Long> heap = new ArrayList<>();
      List<Long> files = new ArrayList<>();
      for (long minute = 1; minute <= Math.max(2, minutes); minute++) {
        assertThat(stop.await(1, TimeUnit.MINUTES)).isFalse();
        heap.add(heapUsedAfterFullGc(server));
        files.add(openFiles(server));
      }
      stop.countDown();
      for (Thread t : load) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

      System.out.printf("soak: %d s; %d acknowledged sends, %d history pages, %d login/logout cycles,"
          + " %d junk datagrams, %d retried failures; server heap after full GC each minute (KiB) %s;"
          + " open files each minute %s%n", seconds, acked.size(), pages.get(), logins.get(),
          junk.get(), FAILURES.get(), heap, files);
      assertThat(server.process.isAlive()).isTrue();
      List<Long> firstHalf = heap.subList(0, (heap.size() + 1) / 2);
      long earlyPeak = firstHalf.stream().mapToLong(Long::longValue).max().orElseThrow();
      long last = heap.get(heap.size() - 1);
      assertThat(last).as("heap used after a full GC at the end (KiB), against the first half's peak %d", earlyPeak)
          .isLessThanOrEqualTo(earlyPeak + Math.max(earlyPeak / 4, 16 * 1024));
      assertThat(files.get(files.size() - 1)).as("open files at the end").isLessThanOrEqualTo(files.get(0) + 4);
      assertThat(server.stop()).isZero();
    }
  }

  private static void readHistory(InetSocketAddress server, ServerPublicKey key, String user, CountDownLatch stop, AtomicLong pages) {
    while (stop.getCount() > 0) {
      try (ChatClient client = ChatClients.builder().server(server).serverKey(key).config(AckedSender.RESTART_TOLERANT).build()) {
        client.login(UserName.of(user), PASSWORD).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 1000 && stop.getCount() > 0; i++) {
          client.history(HistoryQuery.builder().limit(HistoryQuery.MAX_LIMIT).build()).get(30, TimeUnit.SECONDS);
          pages.incrementAndGet();
        }
      } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
        FAILURES.incrementAndGet(); // a busy or slow answer: the next round starts afresh
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void churnLogins(InetSocketAddress server, ServerPublicKey key, String user, CountDownLatch stop, AtomicLong logins) {
    while (stop.getCount() > 0) {
      try (ChatClient client = ChatClients.builder().server(server).serverKey(key).config(AckedSender.RESTART_TOLERANT).build()) {
        client.login(UserName.of(user), PASSWORD).get(30, TimeUnit.SECONDS);
        client.logout().get(30, TimeUnit.SECONDS);
        logins.incrementAndGet();
      } catch (ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
        FAILURES.incrementAndGet(); // busy: try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void sendJunk(InetSocketAddress server, CountDownLatch stop, AtomicLong junk) {
    Random random = new Random(7);
    try (DatagramChannel channel = DatagramChannel.open()) {
      byte[] bytes = new byte[1200];
      while (!stop.await(1, TimeUnit.MILLISECONDS)) {
        for (int i = 0; i < 20; i++) {
          random.nextBytes(bytes);
          bytes[0] = 0x50;
          bytes[1] = 0x32;
          bytes[2] = 1;
          bytes[3] = (byte) (1 + random.nextInt(8));
          bytes[4] = 0;
          channel.send(ByteBuffer.wrap(bytes, 0, random.nextInt(bytes.length)), server);
          junk.incrementAndGet();
        }
      }
    } catch (IOException e) {
      throw new AssertionError("the junk sender failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server's used heap in KiB right after a full GC, read with jcmd. */
  private static long heapUsedAfterFullGc(ServerProcess server) throws Exception {
    jcmd(server, "GC.run");
    String info = jcmd(server, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    assertThat(m.find()).as("jcmd GC.heap_info printed:\n" + info).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static String jcmd(ServerProcess server, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.process.pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static long openFiles(ServerProcess server) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(server.process.pid()), "fd"))) {
      return fds.count();
    }
  }
}
