package org.p2pchat.cli.ref;

import java.io.Writer;
import java.nio.file.Path;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ExportSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code p2pchat export}: all of the user's data as the JSON document of docs/protocol.md section
 * 22.3, into a new owner-only file ({@code --out}) or onto stdout, streamed page by page.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export all your data (account, contacts, blocks, rooms, every message) as JSON.")
final class ExportCommand extends ScriptCommand {
  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Write the export to this new file, readable by you only (an existing file is refused);"
          + " without it, the export goes to stdout.")
  Path file;

  ExportCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  void run(UserName me) throws CliFailure {
    if (file == null && json) {
      throw new ParameterException(spec.commandLine(),
          "--json needs --out FILE: without it, stdout carries the export itself");
    }
    String context = "cannot export the data of " + me;
    if (file == null) {
      Writer stdout = out();
      loggedIn(me, c -> Await.result(c.exportTo(stdout), context));
      return;
    }
    if (java.nio.file.Files.exists(file)) {
      throw new CliFailure(context + ": " + file + " exists (an export never overwrites a file)", ExitCodes.USAGE);
    }
    ExportSummary s = loggedIn(me, c -> Await.result(c.exportTo(file), context + " to " + file));
    print("exported " + s.messages() + " messages, " + s.rooms() + " rooms with " + s.roomMessages()
            + " messages, " + s.contacts() + " contacts and " + s.blocks() + " blocked users to " + file,
        new Json().put("file", file.toString()).put("messages", s.messages()).put("rooms", s.rooms())
            .put("roomMessages", s.roomMessages()).put("contacts", s.contacts()).put("blocks", s.blocks()));
  }
}
