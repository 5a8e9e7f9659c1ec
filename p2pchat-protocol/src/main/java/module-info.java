/**
 * The p2pchat protocol: the wire codec, the server and client engines over any transport, the
 * UDP and in-memory transports, and an in-memory store.
 *
 * <p>Start with {@link org.p2pchat.protocol.ChatServers} and
 * {@link org.p2pchat.protocol.ChatClients}. Packages named {@code internal} are not part of
 * the API.
 */
module org.p2pchat.protocol {
  requires transitive org.p2pchat.api;
  requires static org.immutables.value;
  requires org.slf4j;
  requires password4j;
  requires noise.java;

  exports org.p2pchat.protocol;
  exports org.p2pchat.protocol.codec;
  exports org.p2pchat.protocol.transport;
  exports org.p2pchat.protocol.store;
  exports org.p2pchat.protocol.secure;
}
