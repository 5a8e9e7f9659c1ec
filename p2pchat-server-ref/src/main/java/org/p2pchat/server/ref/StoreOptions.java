package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.p2pchat.store.postgres.PostgresChatStore;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that choose the store: the embedded SQLite file (the default, one machine) or a
 * PostgreSQL database that several server nodes share. A picocli mixin of {@link ServerCommand}
 * and of {@link AdminCommand}, so that the admin commands open the same store as the server.
 *
 * <p>The database password is never an option, since a command line is visible to every user of
 * the machine: it comes from {@code --db-password-file} (its first line), else from the
 * environment variable {@value #PASSWORD_VARIABLE}, else there is none (a server that trusts the
 * node otherwise: a client certificate, {@code trust} in {@code pg_hba.conf}).
 */
public final class StoreOptions {
  /** The environment variable that holds the database password. */
  public static final String PASSWORD_VARIABLE = "P2PCHAT_DB_PASSWORD";

  /** Which store the server runs on. */
  public enum Kind {
    /** An embedded SQLite file ({@code --db}): one machine, nothing to install. */
    SQLITE,
    /** A PostgreSQL database ({@code --jdbc-url}), which several server nodes may share. */
    POSTGRES
  }

  @Option(names = "--store", paramLabel = "KIND", defaultValue = "sqlite",
      description = "sqlite: the embedded --db file, for one machine; postgres: the --jdbc-url "
          + "database, which several server nodes share (a cluster). Default: ${DEFAULT-VALUE}")
  Kind kind;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "With --store postgres: the database, such as jdbc:postgresql://db.example:5432/p2pchat "
          + "(never with a password in it).")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "NAME",
      description = "With --store postgres: the database user (else user=... in --jdbc-url).")
  String dbUser;

  @Option(names = "--db-password-file", paramLabel = "FILE",
      description = "With --store postgres: a file whose first line is the database password "
          + "(else the environment variable " + PASSWORD_VARIABLE + "; never an option).")
  Path passwordFile;

  /** A duration as {@link DurationConverter} reads it, or zero ({@code 0}, {@code 0s}). */
  static final class WaitConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return value.strip().matches("0+(ms|s|m|h)?") ? Duration.ZERO : new DurationConverter().convert(value);
    }
  }

  /** Whether the server runs on PostgreSQL. */
  boolean isPostgres() {
    return kind == Kind.POSTGRES;
  }

  /**
   * A builder for the PostgreSQL store these options name, with the password read from its file
   * or the environment; checked before anything is created.
   *
   * @param env the environment (the password variable)
   * @throws ParameterException when the URL is missing or malformed, no user is named, or the
   *     password file cannot be read; the message repeats neither the URL nor the password
   */
  PostgresChatStore.Builder postgres(CommandSpec spec, UnaryOperator<String> env) {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "--store postgres needs --jdbc-url (or P2PCHAT_JDBC_URL), such as jdbc:postgresql://db.example:5432/p2pchat");
    }
    PostgresChatStore.Builder builder;
    try {
      builder = PostgresChatStore.builder(jdbcUrl.strip());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--jdbc-url': " + e.getMessage());
    }
    if (dbUser != null && !dbUser.isBlank()) {
      builder.user(dbUser.strip());
    } else if (!jdbcUrl.toLowerCase(Locale.ROOT).matches(".*[?&]user=.*")) {
      throw new ParameterException(spec.commandLine(),
          "--store postgres needs a database user: --db-user, P2PCHAT_DB_USER or user=... in --jdbc-url");
    }
    String password = passwordFile != null ? readPassword(spec) : env.apply(PASSWORD_VARIABLE);
    if (password != null && !password.isEmpty()) {
      builder.password(password);
    }
    return builder;
  }

  private String readPassword(CommandSpec spec) {
    Path file = passwordFile.toAbsolutePath().normalize();
    String why;
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && !lines.get(0).isEmpty()) {
        return lines.get(0);
      }
      why = "is empty (its first line is the password)";
    } catch (NoSuchFileException e) {
      why = "does not exist";
    } catch (AccessDeniedException e) {
      why = "is not readable: permission denied";
    } catch (MalformedInputException e) {
      why = "is not UTF-8 text";
    } catch (IOException e) {
      why = "cannot be read: " + e.getClass().getSimpleName();
    }
    throw new ParameterException(spec.commandLine(), "the database password file " + file + " " + why);
  }
}
