/**
 * The p2pchat protocol: the server and the client over UDP, the secure channel, and the
 * frames of the wire protocol as values.
 *
 * <p>Start with {@link org.p2pchat.protocol.ChatServers} and
 * {@link org.p2pchat.protocol.ChatClients}. Packages named {@code internal} are not part of
 * the API; three of them are open to {@code org.p2pchat.testing}, whose embedded server drives
 * the engines' loops on a test's thread.
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
  exports org.p2pchat.protocol.secure;

  exports org.p2pchat.protocol.internal to org.p2pchat.testing;
  exports org.p2pchat.protocol.server.internal to org.p2pchat.testing;
  exports org.p2pchat.protocol.client.internal to org.p2pchat.testing;
}
