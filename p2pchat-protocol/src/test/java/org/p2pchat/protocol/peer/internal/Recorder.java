package org.p2pchat.protocol.peer.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Records a listener's events and answers offers as told. */
final class Recorder implements TransferListener, OfferDecider {
  record Completed(long id, Side side, Path path, byte[] sha256) {}

  record Failed(long id, Side side, TransferError reason) {}

  final List<Completed> completed = new ArrayList<>();
  final List<Failed> failed = new ArrayList<>();
  final List<Long> paused = new ArrayList<>();
  final List<Long> offers = new ArrayList<>();
  final List<long[]> progress = new ArrayList<>();
  /** Set to accept every offer at once into this directory; null to leave them pending. */
  Path acceptInto;
  /** Set to refuse every offer at once. */
  boolean refuseAll;
  FileTransfers engine;
  SimNetwork net;

  @Override
  public void decide(long id, String name, long sizeBytes) {
    offers.add(id);
    if (refuseAll) {
      engine.refuse(id, net.nowMillis());
    } else if (acceptInto != null) {
      engine.accept(id, acceptInto, net.nowMillis());
    }
  }

  @Override
  public void progress(long id, Side side, long doneBytes, long totalBytes) {
    progress.add(new long[] {id, doneBytes, totalBytes, net == null ? 0 : net.nowMillis()});
  }

  @Override
  public void paused(long id, Side side) {
    paused.add(id);
  }

  @Override
  public void completed(long id, Side side, Path path, byte[] sha256) {
    completed.add(new Completed(id, side, path, sha256));
  }

  @Override
  public void failed(long id, Side side, TransferError reason) {
    failed.add(new Failed(id, side, reason));
  }

  boolean ended() {
    return !completed.isEmpty() || !failed.isEmpty();
  }
}
