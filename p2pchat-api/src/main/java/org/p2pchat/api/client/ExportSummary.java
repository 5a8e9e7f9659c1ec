package org.p2pchat.api.client;

/**
 * What {@link ChatClient#exportTo(java.io.Writer)} wrote: the {@code counts} that close the
 * export document (docs/protocol.md section 22.3).
 *
 * @param contacts the contacts exported
 * @param blocks the blocked users exported
 * @param rooms the rooms exported
 * @param roomMessages the room messages exported, over all rooms
 * @param messages the one-to-one messages exported, sent and received
 */
public record ExportSummary(int contacts, int blocks, int rooms, long roomMessages, long messages) {}
