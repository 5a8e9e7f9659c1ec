/**
 * The reference chat client: an interactive chat on a JLine terminal, and scriptable
 * subcommands with exit codes and JSON output. Presentation only; the protocol lives in the
 * client engine.
 */
package org.p2pchat.cli.ref;
