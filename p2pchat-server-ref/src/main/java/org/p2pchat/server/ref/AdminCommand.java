package org.p2pchat.server.ref;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ChatStore;
import java.util.function.UnaryOperator;
import org.p2pchat.store.postgres.PostgresChatStore;
import org.p2pchat.store.sqlite.SqliteChatStore;
import org.p2pchat.store.sqlite.StoreOpenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code p2pchat-server admin ...}: an operator's commands against the server's store (its
 * SQLite file, or with {@code --store postgres} the PostgreSQL database of a cluster), with the
 * server stopped or running beside them. SQLite's WAL journal lets another process read while
 * the server writes, and each change here is one short transaction that waits (up to the busy
 * timeout, 5 s) for the server's writer between two of its group commits; PostgreSQL serves
 * both at once. A change that open sessions must follow (disable, delete, revoke-devices,
 * reset-password) is recorded as an admin operation, which running servers poll. One class per
 * subcommand ({@code Admin*Command}); they share the store this parent opens.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Manage a p2pchat server's accounts and data: with the server stopped, or beside a running one "
          + "(SQLite's WAL journal lets both use the database at once; PostgreSQL serves every node and admin). "
          + "Running servers apply disable, delete, revoke-devices and reset-password to their open sessions "
          + "within a few seconds.",
      ""
    },
    subcommands = {
      AdminUsersCommand.class,
      AdminUserCommand.class,
      AdminDisableCommand.class,
      AdminEnableCommand.class,
      AdminResetPasswordCommand.class,
      AdminRevokeDevicesCommand.class,
      AdminDeleteCommand.class,
      AdminPurgeCommand.class,
      AdminStatsCommand.class,
      AdminBackupCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the database cannot be opened or the command failed",
      "2:bad option or value (or backup of a PostgreSQL store: use pg_dump)",
      "3:no such user"
    },
    footerHeading = "%nEnvironment:%n",
    footer = {AdminDefaults.STORE + " can be set as for the server: from the environment (P2PCHAT_DB, "
        + "P2PCHAT_STORE, P2PCHAT_JDBC_URL, P2PCHAT_DB_USER, P2PCHAT_DB_PASSWORD_FILE) or the server's --config "
        + "file (P2PCHAT_CONFIG), whose other settings admin ignores. The database password is "
        + StoreOptions.PASSWORD_VARIABLE + " or the first line of --db-password-file, never an option."})
public final class AdminCommand {
  /** Exit status: there is no (undeleted) user of that name. */
  static final int NO_SUCH_USER = 3;
  private static final long TIMEOUT_SECONDS = 120;

  @Spec CommandSpec spec;

  @Option(names = "--db", paramLabel = "FILE",
      description = "The server's SQLite database (--store sqlite); it must exist. Default: ${DEFAULT-VALUE}")
  Path database;

  @Mixin StoreOptions storeOptions = new StoreOptions();

  @Option(names = EnvDefaults.CONFIG_OPTION, paramLabel = "FILE",
      description = "The server's config file: admin takes " + AdminDefaults.STORE + " from it "
          + "(the command line and the environment win) and ignores the rest.")
  Path configFile;

  /** The environment, for the database password; tests substitute their own. */
  UnaryOperator<String> env = System::getenv;

  /** The password prompt of reset-password; tests substitute their own. */
  PasswordSource passwords = PasswordSource.CONSOLE;

  /** The clock of purge and delete; tests substitute their own. */
  Clock clock = Clock.systemUTC();

  /** The database file, absolute. */
  Path databaseFile() {
    return database.toAbsolutePath().normalize();
  }

  /** Whether the store is a PostgreSQL database ({@code --store postgres}). */
  boolean isPostgres() {
    return storeOptions.isPostgres();
  }

  /** The store as messages name it: the SQLite file, or {@code postgresql://HOST:PORT/DB as USER}. */
  String target() {
    return isPostgres() ? storeOptions.postgres(spec, env).target() : databaseFile().toString();
  }

  /**
   * Opens the existing store (never creates a SQLite file; a PostgreSQL database is migrated to
   * this version's schema, as a starting server would). The caller closes it.
   *
   * @throws StartupException when there is no database there or it cannot be opened
   */
  ChatStore open() throws StartupException {
    if (isPostgres()) {
      PostgresChatStore.Builder builder = storeOptions.postgres(spec, env);
      try {
        return builder.open();
      } catch (org.p2pchat.store.postgres.StoreOpenException e) {
        throw new StartupException(PostgresStoreOpener.oneLine(e), e);
      } catch (RuntimeException e) {
        throw new StartupException("cannot open the store " + builder.target() + ": " + e.getMessage(), e);
      }
    }
    Path db = databaseFile();
    if (!Files.isRegularFile(db)) {
      throw new StartupException("there is no p2pchat database at " + db + " (--db or P2PCHAT_DB names it)");
    }
    try {
      return SqliteChatStore.builder(db).readerThreads(1).open();
    } catch (StoreOpenException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A user name from the command line, or a usage error naming it. */
  UserName userName(CommandSpec sub, String name) {
    try {
      return UserName.of(name);
    } catch (IllegalArgumentException | ChatException e) {
      throw new ParameterException(sub.commandLine(), "'" + name + "' is not a user name");
    }
  }

  /** Prints that there is no such user, and returns {@link #NO_SUCH_USER}. */
  int noSuchUser(UserName name) {
    err().println(ServerMain.NAME + " admin: there is no user " + name.value() + " in " + target());
    err().flush();
    return NO_SUCH_USER;
  }

  /** Waits for a store operation. */
  static <T> T await(CompletableFuture<T> future) throws StartupException {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new StartupException("the database refused: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new StartupException("the database did not answer within " + TIMEOUT_SECONDS + " s (locked?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted", e);
    }
  }

  /** Runs {@code work} on the open store and closes it. */
  <T> T withStore(StoreWork<T> work) throws StartupException {
    try (ChatStore store = open()) {
      return work.run(store);
    }
  }

  /** Work on an open store. */
  @FunctionalInterface
  interface StoreWork<T> {
    T run(ChatStore store) throws StartupException;
  }

  /** Where reset-password reads the new password: never the command line. */
  @FunctionalInterface
  public interface PasswordSource {
    /** The process's console, without echo; null when there is none. */
    PasswordSource CONSOLE = prompt -> {
      java.io.Console console = System.console();
      return console == null ? null : console.readPassword("%s", prompt);
    };

    /** Shows {@code prompt} and reads a line without echo; null when there is nobody to ask. */
    char[] read(String prompt);
  }
}
