package org.p2pchat.cli.ref;

import java.util.List;
import java.util.stream.Collectors;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.DeliveryState;
import org.p2pchat.api.HistoryPage;
import org.p2pchat.api.HistoryQuery;
import org.p2pchat.api.UserName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code p2pchat view}: prints a page of history and marks the incoming messages shown read. */
@Command(name = "view",
    description = {"Print a page of your history, oldest first, and mark the messages shown to you as read.",
        "Page back with --before and the cursor the previous page printed."},
    mixinStandardHelpOptions = true, sortOptions = false,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {})
final class ViewCommand extends ScriptCommand {

  @Option(names = "--peer", paramLabel = "NAME", description = "Only messages exchanged with this user.")
  String peer;

  @Option(names = "--unread", description = "Only unread messages sent to you.")
  boolean unread;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
      description = "At most this many messages, 1 to 100. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(names = "--before", paramLabel = "CURSOR",
      description = "Only messages older than this cursor (a message id).")
  long before;

  ViewCommand(CliContext ctx) {
    super(ctx);
  }

  @Override
  void run(UserName me) throws CliFailure {
    HistoryQuery query = query();
    MessageFormatter format = new MessageFormatter(ctx.zone);
    Shown shown = loggedIn(me, client -> {
      HistoryPage page = Await.result(() -> client.history(query), "cannot read the history of " + me);
      List<Long> unreadShown = page.messages().stream()
          .filter(m -> m.recipient().equals(me) && m.state() != DeliveryState.READ)
          .map(ChatMessage::id)
          .collect(Collectors.toList());
      if (!unreadShown.isEmpty()) {
        Await.result(() -> client.markRead(unreadShown), "cannot mark messages read");
      }
      return new Shown(page, unreadShown);
    });
    HistoryPage page = shown.page;
    if (json) {
      print("", new Json()
          .put("user", me.value())
          .raw("messages", Json.messages(page.messages()))
          .put("nextCursor", page.nextCursor())
          .raw("markedRead", Json.numbers(shown.markedRead)));
      return;
    }
    StringBuilder text = new StringBuilder();
    for (ChatMessage m : page.messages()) {
      for (String line : format.historyLines(m, me)) {
        text.append(line).append(System.lineSeparator());
      }
    }
    if (page.messages().isEmpty()) {
      text.append("(no messages)").append(System.lineSeparator());
    }
    page.nextCursor().ifPresent(c -> text.append("(older messages: --before ").append(c).append(')')
        .append(System.lineSeparator()));
    out().print(text);
    out().flush();
  }

  private HistoryQuery query() {
    if (limit < 1 || limit > HistoryQuery.MAX_LIMIT) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--limit': '" + limit + "' is not 1 to " + HistoryQuery.MAX_LIMIT);
    }
    if (before < 0) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--before': '" + before + "' is not a cursor (a message id)");
    }
    HistoryQuery.Builder q = HistoryQuery.builder().unreadOnly(unread).limit(limit).cursor(before);
    if (peer != null) {
      q.peer(name("--peer", peer));
    }
    return q.build();
  }

  /** A page as shown, and the ids of the incoming messages it marked read. */
  private static final class Shown {
    final HistoryPage page;
    final List<Long> markedRead;

    Shown(HistoryPage page, List<Long> markedRead) {
      this.page = page;
      this.markedRead = markedRead;
    }
  }
}
