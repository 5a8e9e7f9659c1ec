package org.p2pchat.protocol.server.internal;

import org.p2pchat.protocol.codec.internal.FeaturesFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;

/**
 * FEATURES: records, for the rest of the session, which optional parts of the protocol its
 * client understands (docs/protocol.md section 24). Answered at once and not cached: the same
 * bits set twice do no harm.
 */
final class FeaturesHandler implements RequestHandler<FeaturesFlyweight> {

  @Override
  public void handle(FeaturesFlyweight request, Exchange x) {
    Session session = x.session(request);
    if (session != null) {
      session.batchedAcks = (request.features() & FeaturesFlyweight.BATCHED_ACKS) != 0;
      x.replyEmptyOk(FrameType.FEATURES);
    }
  }
}
