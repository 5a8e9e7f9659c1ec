package org.p2pchat.benchmarks;

/**
 * The logical SEND message as a Jackson-bound record, for the JSON baseline of the codec
 * benchmark. Immutable.
 */
public record SendJson(long requestId, long tokenHi, long tokenLo, String recipient, String body) {}
