package org.p2pchat.cli.ref;

import java.util.List;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code p2pchat send}: logs in, sends one message, logs out. */
@Command(name = "send", description = "Send a message; it is stored for the recipient if they are offline.",
    mixinStandardHelpOptions = true, sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {})
final class SendCommand extends ScriptCommand {

  @Parameters(index = "0", paramLabel = "RECIPIENT", description = "Who to send it to.")
  String recipient;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT",
      description = "The message; several words are joined with spaces.")
  List<String> words;

  SendCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  void run(UserName me) throws CliFailure {
    UserName to = name("RECIPIENT", recipient);
    String body = String.join(" ", words);
    String context = "cannot send to " + to;
    try {
      ChatMessage.checkBody(body);
    } catch (ChatException e) {
      throw CliFailure.of(context, e);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(context + ": the message is empty", ExitCodes.USAGE);
    }
    ChatMessage sent = loggedIn(me, client -> Await.result(() -> client.send(to, body), context));
    print("sent #" + sent.id() + " to " + to, new Json().raw("message", Json.message(sent)));
  }
}
