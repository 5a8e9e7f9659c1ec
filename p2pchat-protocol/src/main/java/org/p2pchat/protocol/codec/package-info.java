/**
 * Protocol v1's frames as values ({@link org.p2pchat.protocol.codec.Frame}) and their
 * object-level codec ({@link org.p2pchat.protocol.codec.FrameCodec}), for tools and tests that
 * speak the wire protocol ({@code docs/protocol.md}) frame by frame. The engines use the
 * allocation-free flyweights of the internal codec package instead.
 */
package org.p2pchat.protocol.codec;
