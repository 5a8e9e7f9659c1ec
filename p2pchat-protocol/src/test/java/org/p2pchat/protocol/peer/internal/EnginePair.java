package org.p2pchat.protocol.peer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.IntFunction;

/** Two engines, A sending and B receiving, over a {@link SimNetwork}. */
final class EnginePair {
  final SimNetwork net;
  final Recorder a = new Recorder();
  final Recorder b = new Recorder();
  final SimNetwork.Link ab;
  final SimNetwork.Link ba;
  final FileTransfers engineA;
  FileTransfers engineB;
  final Path inbox;
  final TransferLimits limitsB;

  EnginePair(Path tmp, long seed) throws IOException {
    this(tmp, seed, TransferLimits.defaults(), TransferLimits.defaults(), RenoWindow::new);
  }

  EnginePair(Path tmp, long seed, TransferLimits limitsA, TransferLimits limitsB,
      IntFunction<CongestionControl> congestion) throws IOException {
    net = new SimNetwork(seed);
    inbox = Files.createDirectories(tmp.resolve("inbox"));
    this.limitsB = limitsB;
    ab = net.link();
    ba = net.link();
    engineA = new FileTransfers(ab, a, a, limitsA, new Random(seed), congestion);
    a.engine = engineA;
    a.net = net;
    engineB = newReceiver();
    ab.target(engineB);
    ba.target(engineA);
    net.addEngine(engineA);
    net.addEngine(engineB);
  }

  private FileTransfers newReceiver() {
    FileTransfers e = new FileTransfers(ba, b, b, limitsB, new Random(), RenoWindow::new);
    b.engine = e;
    b.net = net;
    b.acceptInto = inbox;
    return e;
  }

  /** Replaces B by a new engine on the same directory, as after a restart of the receiver. */
  void restartReceiver() {
    engineB.close();
    net.removeEngine(engineB);
    engineB = newReceiver();
    ab.target(engineB);
    net.addEngine(engineB);
  }

  /** Replaces B by a new engine without closing the old one, as after a crash. */
  void restartReceiverWithoutClose() {
    net.removeEngine(engineB);
    engineB = newReceiver();
    ab.target(engineB);
    net.addEngine(engineB);
  }

  long send(Path file) throws IOException {
    return engineA.send(file, net.nowMillis());
  }

  static Path randomFile(Path dir, String name, int bytes, long seed) throws IOException {
    byte[] data = new byte[bytes];
    new Random(seed).nextBytes(data);
    return Files.write(dir.resolve(name), data);
  }

  boolean bothEnded() {
    return a.ended() && b.ended();
  }
}
