/**
 * The p2pchat public contract: value types, the error model, the codec and transport
 * interfaces, the storage SPI and the client and server facades.
 *
 * <p>This module has no runtime dependency beyond the JDK; Immutables is used at compile time
 * only.
 */
module org.p2pchat.api {
  requires static org.immutables.value;

  exports org.p2pchat.api;
  exports org.p2pchat.api.codec;
  exports org.p2pchat.api.transport;
  exports org.p2pchat.api.store;
  exports org.p2pchat.api.client;
  exports org.p2pchat.api.server;
}
