package org.p2pchat.protocol.server.internal;

import java.util.List;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.RevokeDeviceFlyweight;

/**
 * REVOKE_DEVICE: removes one device of the user, or all, and ends at once the sessions opened
 * with them, but the asking one (docs/protocol.md 17.4).
 */
final class RevokeDeviceHandler implements RequestHandler<RevokeDeviceFlyweight> {
  private final ChatStore store;
  private final SessionTable sessions;

  RevokeDeviceHandler(ChatStore store, SessionTable sessions) {
    this.store = store;
    this.sessions = sessions;
  }

  @Override
  public void handle(RevokeDeviceFlyweight request, Exchange x) {
    if (x.replayedInSession(request)) {
      return;
    }
    Session session = x.session(request);
    if (session == null || !x.admitted()) {
      return;
    }
    long deviceId = request.deviceId();
    UserName user = session.user;
    x.completeLater(store.devices().revokeDevices(user, deviceId), (done, ids) -> revoked(done, user, deviceId, ids, session));
  }

  private void revoked(Exchange x, UserName user, long deviceId, List<Long> ids, Session asking) {
    if (deviceId != 0 && ids.isEmpty()) {
      x.replyError(ErrorCode.UNKNOWN_DEVICE);
      return;
    }
    sessions.closeDevices(user, ids, asking);
    x.replyEmptyOk(FrameType.REVOKE_DEVICE);
  }
}
