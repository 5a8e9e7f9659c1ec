/**
 * The wire codec of protocol v1 ({@code docs/protocol.md}): flyweight decoders that read fields
 * in place from a datagram buffer, static encoders that write straight into a reused buffer,
 * and {@code FrameCodec}, an object-level codec of the same frames for tools and tests.
 */
package org.p2pchat.protocol.codec;
