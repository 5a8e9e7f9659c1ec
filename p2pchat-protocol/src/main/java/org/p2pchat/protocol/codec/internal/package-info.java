/**
 * The wire codec's flyweights: one per frame layout, each adding only its own fields to
 * {@link org.p2pchat.protocol.codec.internal.HeaderFlyweight} (and, for requests within a
 * session, {@link org.p2pchat.protocol.codec.internal.SessionFlyweight}); and
 * {@link org.p2pchat.protocol.codec.internal.FrameType}, the table of frame types. Byte layouts
 * live here and nowhere else. Not part of the API.
 */
package org.p2pchat.protocol.codec.internal;
