package org.p2pchat.server.ref;

import java.util.function.IntSupplier;

/**
 * Where the server registers what to do when the process is asked to stop. The reference
 * server uses {@link #JVM}; tests call the registered action themselves.
 */
@FunctionalInterface
public interface ShutdownHooks {

  /**
   * On Ctrl-C or SIGTERM: run {@code stop}, then end the process with the status it returns.
   * A JVM that ends on a signal exits with 128 + the signal's number however cleanly its hooks
   * ran; halting from the hook is how a drained, flushed server exits 0 as operators and
   * supervisors expect.
   */
  ShutdownHooks JVM = stop -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
    int status = stop.getAsInt();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }, "p2pchat-shutdown"));

  /** Registers {@code stop}, to run once when the process is asked to stop. */
  void register(IntSupplier stop);
}
