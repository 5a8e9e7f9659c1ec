package org.p2pchat.cli.ref;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.Contact;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.client.ChatClient;
import org.p2pchat.api.client.FileTransfer;
import org.p2pchat.api.client.IncomingFile;
import org.p2pchat.api.client.PeerPath;

/**
 * The peer-to-peer side of the interactive chat (docs/protocol.md sections 25 and 26):
 * {@code /connect}, {@code /file}, {@code /accept} and {@code /refuse}, and what the client
 * says of channels and files: offers, progress lines updated in place, outcomes, path changes and
 * a changed device key.
 *
 * <p>Thread-safe: the commands run on the chat's thread, the listener methods and the futures'
 * completions on the client's events thread.
 */
final class PeerChat {
  /** How often a progress line changes at most: redrawn faster, a terminal only flickers. */
  static final long PROGRESS_EVERY_MILLIS = 250;
  private static final int BAR_CELLS = 10;

  private final Screen screen;
  private final Supplier<ChatClient> client;
  private final Path downloadDir;
  private final boolean unicode;
  private final boolean direct;

  /** Offers not answered yet, by the number the person answers with; guarded by this. */
  private final Map<Integer, Offer> offers = new LinkedHashMap<>();
  private int lastOfferNumber;
  /** Files on their way, by transfer id. */
  private final Map<Long, Progress> byId = new ConcurrentHashMap<>();
  /** Sends whose transfer id is not known yet (no progress reported); guarded by this. */
  private final List<Progress> unbound = new ArrayList<>();
  /** The path to each device of each contact, as last reported; guarded by this. */
  private final Map<UserName, Map<Long, PeerPath>> paths = new HashMap<>();
  /** The path to each contact as last said on screen; guarded by this. */
  private final Map<UserName, PeerPath> shown = new HashMap<>();
  /** Contacts a {@code /connect} waits for; its answer says the path. Guarded by this. */
  private final Set<UserName> connecting = new HashSet<>();

  private record Offer(int number, IncomingFile file) {}

  /**
   * @param downloadDir where accepted files go; created owner-only at the first {@code /accept}
   * @param unicode whether the terminal shows {@code ✓} and {@code →}
   * @param direct whether the client may connect directly (no {@code --no-direct})
   */
  PeerChat(Screen screen, Supplier<ChatClient> client, Path downloadDir, boolean unicode, boolean direct) {
    this.screen = screen;
    this.client = client;
    this.downloadDir = downloadDir;
    this.unicode = unicode;
    this.direct = direct;
  }

  /** The lines of {@code /help}. */
  String help() {
    return "  /connect <user>    open an end-to-end encrypted channel to <user>'s devices: direct when the networks\n"
        + "                     allow, else through the server's relay (mutual contacts only)\n"
        + "  /file <path> [user] send a file to your partner or <user> (a mutual contact with a device online);\n"
        + "                     the prompt stays free while it goes\n"
        + "  /accept [n]        save a file offered to you into " + downloadDir + "\n"
        + "  /refuse [n]        decline it (an offer not answered in 5 minutes is declined)";
  }

  // ---------------------------------------------------------------- commands

  /** {@code /connect <user>}: asks for a channel and says which path it took, without holding the prompt. */
  void connect(UserName who) {
    synchronized (this) {
      connecting.add(who);
    }
    CompletableFuture<PeerPath> f;
    try {
      f = client.get().peers().connect(who);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((path, failure) -> {
      synchronized (this) {
        connecting.remove(who);
        if (failure == null) {
          shown.put(who, path);
        }
      }
      if (failure == null) {
        screen.println(connected(who, path));
        return;
      }
      Throwable t = Sentences.unwrap(failure);
      ErrorCode code = t instanceof ChatException c ? c.code() : null;
      if (code == ErrorCode.PEER_UNAVAILABLE) {
        unavailable(who, false, why -> screen.println("cannot connect to " + who + ": " + why));
      } else if (code == ErrorCode.TIMEOUT) {
        screen.println("cannot connect to " + who + ": no device of " + who + "'s answered" + dash() + "try again later");
      } else {
        screen.println(failureSentence("cannot connect to " + who, t));
      }
    });
  }

  private String connected(UserName who, PeerPath path) {
    switch (path) {
      case DIRECT:
        return "direct connection to " + who + " (end-to-end encrypted; the server carries none of it)";
      case RELAYED:
        return "connected to " + who + " through the server's relay (end-to-end encrypted; "
            + (direct ? "no direct path worked between your networks)" : "direct connections are off: --no-direct)");
      default:
        return "the connection to " + who + " closed at once";
    }
  }

  /**
   * {@code /file <path> [user]}: offers the file to {@code partner} or the user named after the
   * path, and shows its progress and outcome as they come; the prompt is free at once.
   *
   * @param rest what follows {@code /file}: a path (quoted when it holds spaces and a user follows)
   * @param partner the person talked to, or null
   */
  void sendFile(String rest, UserName partner) throws CliFailure {
    String r = rest.strip();
    if (r.isEmpty()) {
      throw new CliFailure("usage: /file <path> [user] (to your partner, or to <user>)", ExitCodes.USAGE);
    }
    String pathText;
    String userText = "";
    if (r.startsWith("\"") || r.startsWith("'")) {
      int end = r.indexOf(r.charAt(0), 1);
      if (end < 0) {
        throw new CliFailure("usage: /file \"<path with spaces>\" [user] (the closing quote is missing)",
            ExitCodes.USAGE);
      }
      pathText = r.substring(1, end);
      userText = r.substring(end + 1).strip();
    } else {
      int space = r.lastIndexOf(' ');
      if (Files.exists(expand(r)) || space < 0) {
        pathText = r;
      } else {
        pathText = r.substring(0, space).strip();
        userText = r.substring(space + 1);
      }
    }
    UserName to = userText.isEmpty() ? partner : InteractiveChat.name(userText);
    if (to == null) {
      throw new CliFailure("to whom? /file <path> <user>, or choose a partner with /to <user> first", ExitCodes.USAGE);
    }
    Path file = expand(pathText);
    String name = file.getFileName() == null ? pathText : file.getFileName().toString();
    long size;
    try {
      if (Files.isDirectory(file)) {
        throw new CliFailure("cannot send " + file + ": it is a directory (send one file: pack a directory first)",
            ExitCodes.USAGE);
      }
      size = Files.size(file);
      if (!Files.isReadable(file)) {
        throw new java.nio.file.AccessDeniedException(file.toString());
      }
    } catch (IOException e) {
      throw new CliFailure("cannot send " + file + ": " + Sentences.ofFile(e), ExitCodes.USAGE);
    }
    Progress p = new Progress(to, shownName(name), size, true);
    synchronized (this) {
      unbound.add(p);
    }
    screen.printMessage(p, List.of("sending " + p.name + " (" + size(size) + ") to " + to),
        "· waiting for " + to + " to accept");
    CompletableFuture<String> f;
    try {
      f = client.get().peers().sendFile(to, file);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((sha256, failure) -> {
      synchronized (this) {
        unbound.remove(p);
      }
      byId.values().remove(p);
      p.finish(failure == null);
      if (failure == null) {
        screen.println("sent " + p.name + " (" + size(size) + ") to " + to + ", SHA-256 " + sha256);
      } else {
        notSent(p, Sentences.unwrap(failure));
      }
    });
  }

  /** Says why a file did not go, per error code, in a sentence that says what to do. */
  private void notSent(Progress p, Throwable t) {
    UserName to = p.peer;
    String what = p.name + " was not sent";
    ErrorCode code = t instanceof ChatException c ? c.code() : null;
    if (code == ErrorCode.PEER_UNAVAILABLE) {
      unavailable(to, true, why -> screen.println(what + ": " + why));
      return;
    }
    if (code == ErrorCode.TIMEOUT) {
      screen.println(what + ": no device of " + to + "'s answered" + dash() + "send it again later");
      return;
    }
    if (code != ErrorCode.FILE_NOT_DELIVERED) {
      screen.println(failureSentence("cannot send " + p.name + " to " + to, t));
      return;
    }
    // The SDK gives the reason in words only (TransferError's sentences); these are its words.
    String reason = Sentences.plain(t.getMessage());
    String r = reason.toLowerCase(Locale.ROOT);
    if (r.contains("refused")) {
      screen.println(to + " refused " + p.name);
    } else if (r.contains("too large")) {
      screen.println(what + ": it is larger than " + to + "'s device takes");
    } else if (r.contains("too many")) {
      screen.println(what + ": " + to + "'s device takes no more files at once" + dash() + "send it again in a while");
    } else if (r.contains("not answered")) {
      screen.println(what + ": " + to + " did not answer the offer within 5 minutes");
    } else if (r.contains("name")) {
      screen.println(what + ": " + to + "'s device cannot use its name" + dash() + "rename it and send it again");
    } else if (r.contains("damaged") || r.contains("mismatch")) {
      screen.println(p.name + " was not delivered: it arrived damaged at " + to + "'s device" + dash()
          + "send it again");
    } else if (r.contains("went away")) {
      screen.println(p.name + " was not delivered: " + to + "'s device went away before the file was across ("
          + reason + ")" + dash() + "send it again when " + to + " is back");
    } else {
      screen.println(p.name + " was not delivered to " + to + ": " + reason);
    }
  }

  /**
   * Why a contact is unavailable ({@code PEER_UNAVAILABLE} says only that): asks the contact list,
   * whose presence tells a contact with no device online from someone who is not a mutual
   * contact. Answers on the client's events thread.
   */
  private void unavailable(UserName who, boolean forFile, Consumer<String> then) {
    CompletableFuture<List<Contact>> list;
    try {
      list = client.get().contacts().list();
    } catch (RuntimeException e) {
      list = CompletableFuture.failedFuture(e);
    }
    list.whenComplete((contacts, failure) -> {
      Contact.Presence presence = null;
      if (contacts != null) {
        presence = contacts.stream().filter(c -> c.name().equals(who)).map(Contact::presence).findFirst()
            .orElse(Contact.Presence.UNKNOWN);
      }
      String offline = who + " has no device online" + (forFile
          ? "; files go only to online devices" + dash() + "send it again when " + who + " is back" : "");
      if (presence == null) {
        then.accept(who + " cannot be reached now (no device online, or you are not each other's contacts)");
      } else if (presence == Contact.Presence.UNKNOWN) {
        then.accept("you and " + who + " are not each other's contacts (or one of you blocks the other); "
            + (forFile ? "files" : "connections") + " go only between mutual contacts: /contact add " + who
            + ", and " + who + " adds you");
      } else {
        then.accept(offline);
      }
    });
  }

  /**
   * {@code /accept [n]} or {@code /refuse [n]}: answers the offer numbered {@code n}, or the only
   * one. An accepted file goes into the download directory, made owner-only when it is created.
   */
  void answer(String rest, boolean accept) throws CliFailure {
    String command = accept ? "/accept" : "/refuse";
    Offer offer;
    synchronized (this) {
      if (offers.isEmpty()) {
        throw new CliFailure("no file is offered to you now", ExitCodes.USAGE);
      }
      if (rest.isBlank()) {
        if (offers.size() > 1) {
          StringBuilder list = new StringBuilder("several files are offered; which one? " + command + " <n>:");
          offers.values().forEach(o -> list.append("\n  ").append(o.number).append(": ").append(describe(o.file)));
          throw new CliFailure(list.toString(), ExitCodes.USAGE);
        }
        offer = offers.values().iterator().next();
      } else {
        try {
          offer = offers.get(Integer.parseInt(rest.strip().replaceFirst("^#", "")));
        } catch (NumberFormatException e) {
          offer = null;
        }
        if (offer == null) {
          throw new CliFailure("no offer " + MessageFormatter.safe(rest.strip()) + " waits for an answer ("
              + command + " without a number lists them)", ExitCodes.USAGE);
        }
      }
    }
    FileTransfer t = offer.file.transfer();
    if (!accept) {
      synchronized (this) {
        offers.remove(offer.number);
      }
      offer.file.refuse();
      screen.println("refused " + describe(offer.file));
      return;
    }
    Path dir = downloadDirectory(); // on failure the offer still waits
    synchronized (this) {
      offers.remove(offer.number);
    }
    Progress p = new Progress(t.peer(), shownName(t.name()), t.size(), false);
    byId.put(t.id(), p);
    screen.printMessage(p, List.of("receiving " + p.name + " (" + size(t.size()) + ") from " + t.peer() + " into "
        + dir), "· 0%");
    offer.file.accept(dir);
  }

  private String describe(IncomingFile f) {
    FileTransfer t = f.transfer();
    return shownName(t.name()) + " (" + size(t.size()) + ") from " + t.peer();
  }

  /** The download directory, created (owner-only) when missing. */
  private Path downloadDirectory() throws CliFailure {
    Path dir = downloadDir;
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (Files.exists(dir)) {
      throw new CliFailure("cannot save into " + dir + ": it is not a directory (--download-dir chooses another)",
          ExitCodes.USAGE);
    }
    try {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (IOException e) {
      throw new CliFailure("cannot create " + dir + " for the file: " + Sentences.ofFile(e)
          + " (--download-dir chooses another)", ExitCodes.USAGE);
    }
    screen.println("  (created " + dir + ", readable by you only)");
    return dir;
  }

  /** The files on their way now ("photo.jpg to bob"), for a word before leaving breaks them off. */
  synchronized List<String> onTheirWay() {
    List<String> all = new ArrayList<>();
    unbound.forEach(p -> all.add(p.name + " to " + p.peer));
    byId.values().forEach(p -> all.add(p.name + (p.sending ? " to " : " from ") + p.peer));
    return all;
  }

  /** Pending offer numbers, for tab completion. */
  synchronized List<String> offerNumbers() {
    List<String> all = new ArrayList<>();
    offers.keySet().forEach(n -> all.add(Integer.toString(n)));
    return all;
  }

  // ---------------------------------------------------------------- the listener's events

  /** A contact's device offers a file: said above the prompt, with how to answer. */
  void onFileOffered(IncomingFile file) {
    int number;
    int pending;
    synchronized (this) {
      number = ++lastOfferNumber;
      offers.put(number, new Offer(number, file));
      pending = offers.size();
    }
    FileTransfer t = file.transfer();
    String how = pending == 1 ? "/accept or /refuse" : "/accept " + number + " or /refuse " + number
        + " (" + pending + " offers wait)";
    screen.print(List.of(t.peer() + " offers " + shownName(t.name()) + " (" + size(t.size()) + "). Accept? " + how),
        true);
  }

  void onFileProgress(FileTransfer t, long doneBytes) {
    Progress p = byId.get(t.id());
    if (p == null && t.direction() == FileTransfer.Direction.SENDING) {
      String name = shownName(t.name());
      synchronized (this) {
        for (Iterator<Progress> i = unbound.iterator(); i.hasNext(); ) {
          Progress u = i.next();
          if (u.peer.equals(t.peer()) && u.name.equals(name)) {
            i.remove();
            byId.put(t.id(), u);
            p = u;
            break;
          }
        }
      }
    }
    if (p != null) {
      p.update(doneBytes);
    }
  }

  void onFileReceived(FileTransfer t, Path file, String sha256) {
    Progress p = byId.remove(t.id());
    if (p != null) {
      p.finish(true);
    }
    screen.println("received " + shownName(t.name()) + " (" + size(t.size()) + ") from " + t.peer() + " "
        + (unicode ? "\u2192" : "->") + " " + MessageFormatter.safe(file.toString()) + ", SHA-256 " + sha256
        + " checked");
  }

  void onFileFailed(FileTransfer t, String reason) {
    String why = MessageFormatter.safe(reason);
    synchronized (this) {
      for (Iterator<Offer> i = offers.values().iterator(); i.hasNext(); ) {
        Offer o = i.next();
        if (o.file.transfer().id() == t.id()) {
          i.remove();
          screen.println("the offer of " + describe(o.file) + " ended: " + why);
          return;
        }
      }
    }
    Progress p = byId.remove(t.id());
    if (p == null) {
      return; // refused here: the person knows
    }
    p.finish(false);
    screen.println(p.name + " from " + t.peer() + " did not arrive: " + why + dash() + "ask " + t.peer()
        + " to send it again");
  }

  /** A channel came up, changed path or closed: a quiet line, louder when a direct path was lost. */
  void onPeerPathChanged(UserName contact, long deviceId, PeerPath path) {
    PeerPath was;
    PeerPath now;
    synchronized (this) {
      Map<Long, PeerPath> devices = paths.computeIfAbsent(contact, c -> new HashMap<>());
      if (path == PeerPath.CLOSED) {
        devices.remove(deviceId);
      } else {
        devices.put(deviceId, path);
      }
      now = devices.containsValue(PeerPath.DIRECT) ? PeerPath.DIRECT
          : devices.isEmpty() ? PeerPath.CLOSED : PeerPath.RELAYED;
      if (devices.isEmpty()) {
        paths.remove(contact);
      }
      was = shown.getOrDefault(contact, PeerPath.CLOSED);
      if (now == was) {
        return;
      }
      shown.put(contact, now);
      if (was == PeerPath.CLOSED && connecting.contains(contact)) {
        return; // the /connect's answer says it
      }
    }
    if (was == PeerPath.DIRECT && now == PeerPath.RELAYED) {
      screen.println("the direct path to " + contact + " was lost; now through the server's relay");
    } else if (now == PeerPath.DIRECT) {
      screen.println(was == PeerPath.CLOSED ? "  (direct connection to " + contact + ")"
          : "  (the connection to " + contact + " is direct now)");
    } else if (now == PeerPath.RELAYED) {
      screen.println("  (connected to " + contact + " through the server's relay)");
    } else {
      screen.println("  (the connection to " + contact + " closed)");
    }
  }

  /** The server vouched for a new key of a device seen before: shown as SSH shows a changed host key. */
  void onPeerKeyChanged(UserName contact, long deviceId, String oldFingerprint, String newFingerprint) {
    String device = deviceId == 0 ? "a device of " + contact + "'s" : contact + "'s device #" + deviceId;
    String banner = "@".repeat(64);
    screen.print(List.of(
        banner,
        "@    WARNING: THE KEY OF " + device.toUpperCase(Locale.ROOT) + " HAS CHANGED!",
        banner,
        "The key that " + device + " proves itself with is not the one it had before:",
        "  before: " + MessageFormatter.safe(oldFingerprint),
        "  now:    " + MessageFormatter.safe(newFingerprint),
        "Either " + contact + " reinstalled p2pchat or reset that device (harmless), or someone stands between you",
        "and " + contact + " and can read and change what goes over the channel; the server vouched for the new key,",
        "so that someone may be the server itself.",
        "Ask " + contact + " by another way than this chat (in person, by phone) whether they reset that device.",
        "Until you are sure, send " + contact + " nothing private and refuse their files. The new key is",
        "remembered: this warning does not come again for it."), true);
  }

  // ---------------------------------------------------------------- progress lines

  /** A file's line on screen: its header, and a mark that is its progress bar, rewritten in place. */
  private final class Progress {
    final UserName peer;
    final String name;
    final long size;
    final boolean sending;
    private long baseNanos = -1;
    private long baseBytes;
    private long shownNanos;
    private int shownTenth = -1;
    private boolean finished;

    Progress(UserName peer, String name, long size, boolean sending) {
      this.peer = peer;
      this.name = name;
      this.size = size;
      this.sending = sending;
    }

    synchronized void update(long done) {
      long now = System.nanoTime();
      if (finished) {
        return;
      }
      if (baseNanos < 0) {
        baseNanos = now;
        baseBytes = done;
      } else if (now - shownNanos < PROGRESS_EVERY_MILLIS * 1_000_000L && done < size) {
        return;
      }
      shownNanos = now;
      double seconds = (now - baseNanos) / 1e9;
      long rate = seconds >= 0.2 ? (long) ((done - baseBytes) / seconds) : -1;
      String bar = bar(done, size, rate);
      int tenth = size == 0 ? 10 : (int) (done * 10 / size);
      // Where the line cannot be rewritten, a line of its own at most each tenth of the file.
      String fallback = null;
      if (tenth != shownTenth) {
        shownTenth = tenth;
        fallback = "  (" + name + (sending ? " to " : " from ") + peer + ": " + bar + ")";
      }
      screen.mark(this, bar, fallback);
    }

    synchronized void finish(boolean ok) {
      finished = true;
      screen.mark(this, ok ? (unicode ? "\u2713 done" : "+ done") : (unicode ? "\u2717 stopped" : "x stopped"), null);
      screen.forget(this);
    }

    private String bar(long done, long total, long rate) {
      int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
      int full = percent * BAR_CELLS / 100;
      String cells = (unicode ? "\u2588" : "#").repeat(full) + (unicode ? "\u2591" : ".").repeat(BAR_CELLS - full);
      return "[" + cells + "] " + percent + "% " + size(done) + " of " + size(total)
          + (rate >= 0 ? ", " + size(rate) + "/s" : "");
    }
  }

  // ---------------------------------------------------------------- words

  /** A size for people, in decimal units: {@code 999 bytes}, {@code 1.5 KB}, {@code 3.0 MB}. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + (bytes == 1 ? " byte" : " bytes");
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int unit = -1;
    while (v >= 999.95 && unit < units.length - 1) {
      v /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
  }

  /**
   * A file name from another device as it may be shown: no control characters, and no
   * direction overrides, which would show {@code photo\u202Egpj.exe} as {@code photoexe.jpg}.
   */
  static String shownName(String name) {
    String safe = MessageFormatter.safe(name);
    return safe.replaceAll("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "?");
  }

  /** {@code ~/x} as the home directory's {@code x}. */
  static Path expand(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + path.substring(1));
    }
    return Path.of(path);
  }

  private String dash() {
    return unicode ? " \u2014 " : " - ";
  }

  private static String failureSentence(String context, Throwable t) {
    if (t instanceof UnsupportedOperationException) {
      return context + ": this client has no peer to peer";
    }
    return CliFailure.of(context, t).getMessage();
  }
}
