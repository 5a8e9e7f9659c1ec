package org.p2pchat.protocol.server.internal;

/** A session token as two longs: the map key for sessions and for their cached answers. */
record TokenKey(long hi, long lo) {}
