/**
 * The reference server: command-line options, configuration from the environment, the store
 * and the engine wired together, and a clean shutdown. No protocol logic lives here.
 */
package org.p2pchat.server.ref;
