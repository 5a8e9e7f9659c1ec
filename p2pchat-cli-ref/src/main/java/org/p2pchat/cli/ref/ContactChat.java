package org.p2pchat.cli.ref;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.p2pchat.api.Contact;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;

/** The {@code /contact} commands of the interactive chat. Runs on the chat's thread. */
final class ContactChat {
  static final String HELP = "  /contact            contacts and blocks: /contact help lists the commands";

  private final Consumer<String> println;
  private final Supplier<ChatClient> client;

  ContactChat(Consumer<String> println, Supplier<ChatClient> client) {
    this.println = println;
    this.client = client;
  }

  /** Runs {@code /contact <rest>}. */
  void handle(String rest) throws CliFailure {
    String[] w = rest.isBlank() ? new String[] {"help"} : rest.strip().split("\\s+");
    ChatClient c = client.get();
    switch (w[0]) {
      case "list" -> {
        for (Contact x : Await.result(c.contacts().list(), "cannot list your contacts")) {
          println.accept(x.name() + " " + x.presence().name().toLowerCase(java.util.Locale.ROOT)
              + x.lastSeen().map(t -> " (last seen " + t + ")").orElse(""));
        }
      }
      case "blocked" -> Await.result(c.contacts().blocked(), "cannot list the users you block")
          .forEach(n -> println.accept(n.value() + " (blocked)"));
      case "hide", "show" -> {
        boolean hide = w[0].equals("hide");
        Await.result(c.contacts().hidePresence(hide), "cannot " + w[0] + " your presence");
        println.accept(hide ? "your presence is hidden: your contacts see you offline"
            : "your presence is shown to your contacts");
      }
      case "add", "remove", "block", "unblock" -> {
        if (w.length < 2 || !UserName.isValid(w[1])) {
          throw new CliFailure("usage: /contact " + w[0] + " <user>", ExitCodes.USAGE);
        }
        UserName who = UserName.of(w[1]);
        String context = "cannot " + w[0] + " " + who;
        Await.result(switch (w[0]) {
          case "add" -> c.contacts().add(who);
          case "remove" -> c.contacts().remove(who);
          case "block" -> c.contacts().block(who);
          default -> c.contacts().unblock(who);
        }, context);
        println.accept(w[0] + (w[0].endsWith("e") ? "d " : "ed ") + who);
      }
      default -> {
        println.accept("  /contact list                 your contacts and their presence");
        println.accept("  /contact add|remove <user>    your contact list");
        println.accept("  /contact block|unblock <user> refuse (or accept again) their messages and invitations");
        println.accept("  /contact blocked              who you block");
        println.accept("  /contact hide|show            hide your presence from everyone (you look offline), or show it");
      }
    }
  }

  /**
   * A quiet line for a mutual contact coming online or going offline (docs/protocol.md section 21),
   * printed above the prompt. Any thread.
   */
  static String presenceLine(UserName contact, Contact.Presence presence, java.util.Optional<java.time.Instant> lastSeen,
      java.time.ZoneId zone) {
    if (presence == Contact.Presence.ONLINE) {
      return "  (" + contact + " is online)";
    }
    return "  (" + contact + " went offline" + lastSeen.map(t -> ", last seen "
        + java.time.format.DateTimeFormatter.ofPattern("HH:mm").format(t.atZone(zone))).orElse("") + ")";
  }
}
