package org.p2pchat.protocol.server.internal;

import org.p2pchat.api.server.PushBus;
import org.p2pchat.api.store.AccountStore;
import org.p2pchat.api.store.ChatStore;
import org.p2pchat.protocol.codec.internal.AccountDeleteFlyweight;
import org.p2pchat.protocol.codec.internal.FrameType;
import org.p2pchat.protocol.codec.internal.TokenFlyweight;

/** The routes of account deletion and export (docs/protocol.md section 22). */
final class AccountRoutes {
  private AccountRoutes() {}

  /** Routes the requests to their handlers; a store that deletes no accounts gets no ACCOUNT_DELETE. */
  static void install(Dispatcher dispatcher, ChatStore store, PasswordHasher hasher, LoginRateLimiter limiter,
      SessionTable sessions, PushBus bus) {
    dispatcher.route(new TokenFlyweight(FrameType.ACCOUNT_INFO), new AccountInfoHandler(store));
    AccountStore accounts = accountsOf(store);
    if (accounts != null) {
      dispatcher.route(new AccountDeleteFlyweight(), new AccountDeleteHandler(store, accounts, hasher, limiter, sessions, bus));
    }
  }

  /** The store's account facet, or null when it has none. */
  static AccountStore accountsOf(ChatStore store) {
    try {
      return store.accounts();
    } catch (UnsupportedOperationException none) {
      return null;
    }
  }
}
