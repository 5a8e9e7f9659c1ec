package org.p2pchat.cli.ref;

import java.util.List;
import org.p2pchat.api.Contact;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ContactClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code p2pchat contact ...}: the contact and block lists of docs/protocol.md section 20, one
 * subcommand each, with {@code --json} like every subcommand.
 */
final class ContactCommand {
  private ContactCommand() {}

  /** The {@code contact} command with its subcommands. */
  static CommandLine commandLine(CliContext ctx) {
    CommandLine contact = new CommandLine(new Parent());
    for (String verb : List.of("add", "remove", "block", "unblock", "hide", "show")) {
      contact.addSubcommand(verb, new Change(ctx, verb));
    }
    contact.addSubcommand(new ListContacts(ctx));
    contact.addSubcommand(new ListBlocked(ctx));
    return contact;
  }

  @Command(name = "contact", description = "Contacts and blocks (add, remove, list, block, unblock, blocked), and presence (hide, show).",
      mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND")
  static final class Parent implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), "Missing a contact command (see --help)");
    }
  }

  /**
   * {@code add}, {@code remove}, {@code block}, {@code unblock}: one change of a list; {@code hide},
   * {@code show}: whether your contacts see your presence (docs/protocol.md section 21).
   */
  @Command(mixinStandardHelpOptions = true,
      description = "Change your contact or block list (add, remove, block, unblock USER), or hide or show your presence"
          + " from everyone (hide, show: a hidden user looks offline).")
  static final class Change extends ScriptCommand {
    private final String verb;

    @Parameters(index = "0", arity = "0..1", paramLabel = "USER", description = "Who (not for hide and show).")
    String other;

    Change(CliContext ctx, String verb) {
      super(ctx);
      this.verb = verb;
    }

    @Override
    void run(UserName me) throws CliFailure {
      if (verb.equals("hide") || verb.equals("show")) {
        if (other != null) {
          throw new CliFailure("contact " + verb + " takes no user: it hides or shows your presence from everyone",
              ExitCodes.USAGE);
        }
        boolean hide = verb.equals("hide");
        loggedIn(me, c -> Await.result(c.contacts().hidePresence(hide), "cannot " + verb + " your presence"));
        print(hide ? "your presence is hidden: your contacts see you offline" : "your presence is shown to your contacts",
            new Json().put("presence", hide ? "hidden" : "shown").put("done", verb));
        return;
      }
      if (other == null) {
        throw new CliFailure("contact " + verb + " needs a USER", ExitCodes.USAGE);
      }
      UserName who = name("USER", other);
      String context = "cannot " + verb + " " + who;
      loggedIn(me, c -> {
        ContactClient lists = c.contacts();
        return Await.result(switch (verb) {
          case "add" -> lists.add(who);
          case "remove" -> lists.remove(who);
          case "block" -> lists.block(who);
          default -> lists.unblock(who);
        }, context);
      });
      String done = switch (verb) {
        case "add" -> "added " + who + " to your contacts";
        case "remove" -> "removed " + who + " from your contacts";
        case "block" -> "blocked " + who;
        default -> "unblocked " + who;
      };
      print(done, new Json().put(verb.equals("add") || verb.equals("remove") ? "contact" : "user", who.value())
          .put("done", verb));
    }
  }

  @Command(name = "list", description = "List your contacts with their presence (shared by mutual contacts only).",
      mixinStandardHelpOptions = true)
  static final class ListContacts extends ScriptCommand {
    ListContacts(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      List<Contact> all = loggedIn(me, c -> Await.result(c.contacts().list(), "cannot list your contacts"));
      StringBuilder human = new StringBuilder();
      for (Contact x : all) {
        human.append(x.name()).append(' ').append(x.presence().name().toLowerCase(java.util.Locale.ROOT));
        x.lastSeen().ifPresent(t -> human.append(" (last seen ").append(t).append(')'));
        human.append(System.lineSeparator());
      }
      print(all.isEmpty() ? "(no contacts)" : human.toString().stripTrailing(), new Json().raw("contacts",
          RoomText.array(all, x -> new Json().put("name", x.name().value()).put("presence", x.presence().name())
              .put("lastSeen", x.lastSeen().map(Object::toString).orElse(null)).toString())));
    }
  }

  @Command(name = "blocked", description = "List the users you block.", mixinStandardHelpOptions = true)
  static final class ListBlocked extends ScriptCommand {
    ListBlocked(CliContext ctx) {
      super(ctx);
    }

    @Override
    void run(UserName me) throws CliFailure {
      List<UserName> all = loggedIn(me, c -> Await.result(c.contacts().blocked(), "cannot list the users you block"));
      StringBuilder human = new StringBuilder();
      all.forEach(n -> human.append(n).append(System.lineSeparator()));
      print(all.isEmpty() ? "(nobody)" : human.toString().stripTrailing(),
          new Json().raw("blocked", RoomText.array(all, n -> Json.quote(n.value()))));
    }
  }
}
