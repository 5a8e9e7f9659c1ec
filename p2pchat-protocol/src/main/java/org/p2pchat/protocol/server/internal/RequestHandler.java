package org.p2pchat.protocol.server.internal;

import org.p2pchat.protocol.codec.internal.HeaderFlyweight;

/**
 * Handles one request type on the loop: the dispatcher has validated the frame into the
 * handler's flyweight; the handler answers through the exchange, now or once its work completes.
 * Handlers run on the loop only and never block.
 *
 * @param <F> the flyweight of the request's layout
 */
@FunctionalInterface
interface RequestHandler<F extends HeaderFlyweight<F>> {
  void handle(F request, Exchange x);
}
