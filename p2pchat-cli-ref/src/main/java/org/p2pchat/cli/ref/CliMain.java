package org.p2pchat.cli.ref;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The entry point of {@code p2pchat-cli.jar}. Errors are one line on stderr and an exit code
 * from {@link ExitCodes}, never a stack trace.
 */
public final class CliMain {

  private CliMain() {}

  /** Runs the interactive chat or a subcommand; see {@code --help}. */
  public static void main(String[] args) {
    System.exit(commandLine(CliContext.system()).execute(args));
  }

  /** The command line with every subcommand, defaults from the environment, and one-line errors. */
  public static CommandLine commandLine(CliContext ctx) {
    CommandLine cl = new CommandLine(new ChatCommand(ctx));
    cl.addSubcommand(new RegisterCommand(ctx));
    cl.addSubcommand(new LoginCommand(ctx));
    cl.addSubcommand(new SendCommand(ctx));
    cl.addSubcommand(new ViewCommand(ctx));
    cl.addSubcommand(RoomCommand.commandLine(ctx));
    cl.addSubcommand(ContactCommand.commandLine(ctx));
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    }
    cl.setDefaultValueProvider(new EnvDefaults(ctx.env, Map.of("--server", "localhost:" + ServerAddressConverter.DEFAULT_PORT)));
    cl.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("p2pchat: " + e.getMessage() + " (see --help)");
      err.flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      err.println("p2pchat: unexpected failure: " + e);
      err.flush();
      return ExitCodes.UNEXPECTED;
    });
    return cl;
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> codes = new java.util.LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      codes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return codes;
  }
}
