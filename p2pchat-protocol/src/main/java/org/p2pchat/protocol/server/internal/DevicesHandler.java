package org.p2pchat.protocol.server.internal;

import java.util.List;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.api.store.StoredDevice;
import org.p2pchat.protocol.codec.internal.DevicesOkFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/** DEVICES: lists the user's devices, marking the asking session's (docs/protocol.md 17.3). */
final class DevicesHandler implements RequestHandler<TokenFlyweight> {
  private final ChatStore store;
  private final DevicesOkFlyweight ok = new DevicesOkFlyweight();

  DevicesHandler(ChatStore store) {
    this.store = store;
  }

  @Override
  public void handle(TokenFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    long current = session.deviceId;
    x.completeLater(store.devices().devices(session.user), (done, devices) -> answer(done, devices, current));
  }

  private void answer(Exchange x, List<StoredDevice> devices, long current) {
    ok.encode(x.answer(), x.requestId()).inReplyTo(FrameType.DEVICES);
    // The newest ones when a store holds more than an answer lists.
    for (StoredDevice d : devices.subList(Math.max(0, devices.size() - DevicesOkFlyweight.MAX_DEVICES), devices.size())) {
      ok.add(d.id(), d.createdAt().toEpochMilli(), d.lastUsedAt().toEpochMilli(), d.id() == current, d.name());
    }
    ok.finish();
    x.replyUnbounded();
  }
}
