package org.p2pchat.cli.ref;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The entry point of {@code p2pchat-cli.jar}. Errors are one line on stderr and an exit code
 * from {@link ExitCodes}, never a stack trace.
 */
public final class CliMain {
  private static final Logger log = LoggerFactory.getLogger(CliMain.class);

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
    cl.addSubcommand(new ExportCommand(ctx));
    cl.addSubcommand(new DeleteAccountCommand(ctx));
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    }
    cl.setDefaultValueProvider(new EnvDefaults(ctx.env, Map.of("--server", "localhost:" + ServerAddressConverter.DEFAULT_PORT)));
    // Numbers in the words of people, not of Java ("'abc' is not an int").
    cl.registerConverter(Integer.class, v -> (int) number(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cl.registerConverter(Integer.TYPE, v -> (int) number(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
    cl.registerConverter(Long.class, v -> number(v, Long.MIN_VALUE, Long.MAX_VALUE));
    cl.registerConverter(Long.TYPE, v -> number(v, Long.MIN_VALUE, Long.MAX_VALUE));
    cl.setParameterExceptionHandler((e, args) -> {
      String sentence = e.getMessage() + " (see --help)";
      if (Arrays.asList(args).contains("--json") && e.getCommandLine().getParent() != null) {
        printJsonError(e.getCommandLine(), sentence, ExitCodes.USAGE);
      }
      PrintWriter err = e.getCommandLine().getErr();
      err.println("p2pchat: " + sentence);
      err.flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      log.debug("unexpected failure", e);
      String sentence = "the CLI failed unexpectedly: " + Sentences.of(e);
      if (commandLine.getParent() != null && parseResult.hasMatchedOption("--json")) {
        printJsonError(commandLine, sentence, ExitCodes.UNEXPECTED);
      }
      PrintWriter err = commandLine.getErr();
      err.println("p2pchat: " + sentence);
      err.flush();
      return ExitCodes.UNEXPECTED;
    });
    return cl;
  }

  private static long number(String value, long min, long max) {
    String v = value.strip();
    if (!v.matches("[+-]?\\d{1,19}")) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too large");
    }
  }

  /** The {@code --json} answer of a failure that happened before the command ran. */
  static void printJsonError(CommandLine command, String sentence, int exitCode) {
    Json error = new Json().put("message", sentence).put("exitCode", exitCode);
    PrintWriter out = command.getOut();
    out.println(new Json().put("ok", false).put("command", command.getCommandName()).raw("error", error.toString()));
    out.flush();
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
