package org.p2pchat.testing;

/**
 * The sizes of everything a peer can grow in a server, as an {@link EmbeddedServer} reports
 * them: for tests that check bounds under a flood.
 *
 * @param sessions sessions open
 * @param cachedAnswers answers kept for replay to retransmitted requests
 * @param cachedAnswerBytes their bytes
 * @param pendingPushes pushes awaiting acknowledgement
 * @param rateLimitEntries accounts and addresses the login limiter tracks
 * @param pendingOperations store and hash work in flight
 * @param peerLinks introduced pairs of devices (docs/protocol.md section 25)
 * @param relayedPackets peer packets the relay forwarded since start
 * @param relayedBytes their bytes
 */
public record ServerStats(int sessions, int cachedAnswers, long cachedAnswerBytes,
    int pendingPushes, int rateLimitEntries, int pendingOperations, int peerLinks, long relayedPackets,
    long relayedBytes) {}
