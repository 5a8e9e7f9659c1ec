package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;

/**
 * The entry point of {@code p2pchat-server.jar}. Errors an operator can fix are one line on
 * stderr and a non-zero exit, never a stack trace.
 */
public final class ServerMain {
  static final String NAME = "p2pchat-server";

  private ServerMain() {}

  /** Runs the server until Ctrl-C or SIGTERM; see {@code --help}. */
  public static void main(String[] args) {
    CommandLine cl = commandLine(new ServerCommand(ServerFactory.ENGINE, ShutdownHooks.JVM), System.getenv());
    int status = cl.execute(args);
    System.exit(status);
  }

  /**
   * The command line of {@code command}: defaults from {@code env} and the engine, case-blind
   * enum values, and one-line errors.
   */
  public static CommandLine commandLine(ServerCommand command, Map<String, String> env) {
    CommandLine cl = new CommandLine(command);
    cl.setDefaultValueProvider(new EnvDefaults(env, ServerCommand.builtInDefaults()));
    // Added after the server's provider: admin reads only where the store is from the environment
    // and the server's config file (AdminDefaults), never a --yes or a --limit a stray variable would set.
    String db = ServerCommand.builtInDefaults().get("--db");
    AdminCommand adminCommand = new AdminCommand();
    adminCommand.env = env::get;
    CommandLine admin = new CommandLine(adminCommand);
    admin.setDefaultValueProvider(new AdminDefaults(env, EnvDefaults.keys(cl.getCommandSpec()), db));
    cl.addSubcommand(admin);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(oneLineUsageError());
    cl.setExecutionExceptionHandler(oneLineFailure());
    return cl;
  }

  private static IParameterExceptionHandler oneLineUsageError() {
    return (e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println(NAME + ": " + e.getMessage() + " (see --help)");
      err.flush();
      return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    };
  }

  private static IExecutionExceptionHandler oneLineFailure() {
    return (e, cl, parseResult) -> {
      PrintWriter err = cl.getErr();
      if (e instanceof StartupException) {
        err.println(NAME + (cl.getCommand() instanceof ServerCommand ? "" : " admin") + ": " + e.getMessage());
      } else {
        err.println(NAME + ": unexpected failure: " + e);
      }
      err.flush();
      return 1;
    };
  }
}
