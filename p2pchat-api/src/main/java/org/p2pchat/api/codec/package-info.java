/**
 * The codec contract: turning frames into datagram bytes and back, and the one typed error a
 * decoder raises for malformed input.
 */
package org.p2pchat.api.codec;
