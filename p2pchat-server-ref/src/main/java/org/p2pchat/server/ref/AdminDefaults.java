package org.p2pchat.server.ref;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The defaults of {@code p2pchat-server admin}: the options that say where the store is
 * ({@value #STORE}) come, as for the server, from the environment ({@code P2PCHAT_DB},
 * {@code P2PCHAT_STORE}, {@code P2PCHAT_JDBC_URL}, ...), else from the server's config file
 * ({@code admin --config FILE}, else {@code P2PCHAT_CONFIG}), else the built-in default. So the
 * admin commands of a node open its store with nothing more than its config file. No other
 * option of admin reads either: a stray variable never sets a {@code --yes} or a {@code --limit}.
 * The config file is the server's, checked against the server's keys; admin ignores its other
 * settings. Immutable and thread-safe.
 */
final class AdminDefaults implements IDefaultValueProvider {
  /** The options this provider answers for, in a readable form for the help text. */
  static final String STORE = "--db, --store, --jdbc-url, --db-user, --db-password-file";
  private static final Set<String> STORE_OPTIONS = Set.of("--db", "--store", "--jdbc-url", "--db-user",
      "--db-password-file");

  private final Map<String, String> env;
  private final Set<String> serverKeys;
  private final String defaultDatabase;

  /**
   * @param env the environment
   * @param serverKeys the keys a server config file may hold ({@link EnvDefaults#keys})
   * @param defaultDatabase the server's default {@code --db}
   */
  AdminDefaults(Map<String, String> env, Set<String> serverKeys, String defaultDatabase) {
    this.env = Map.copyOf(env);
    this.serverKeys = Set.copyOf(serverKeys);
    this.defaultDatabase = defaultDatabase;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!argSpec.isOption()) {
      return null;
    }
    String name = ((OptionSpec) argSpec).longestName();
    if (!STORE_OPTIONS.contains(name)) {
      return null;
    }
    String fromEnv = variable(EnvDefaults.variableFor(name));
    if (fromEnv != null) {
      return fromEnv;
    }
    ConfigFile file = configFile(argSpec);
    String fromFile = file == null ? null : file.value(name);
    if (fromFile != null) {
      return fromFile;
    }
    return name.equals("--db") ? defaultDatabase : null;
  }

  private String variable(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private ConfigFile configFile(ArgSpec argSpec) {
    OptionSpec option = argSpec.command().findOption(EnvDefaults.CONFIG_OPTION);
    Object given = option == null ? null : option.getValue();
    String path = given != null ? given.toString() : variable(EnvDefaults.variableFor(EnvDefaults.CONFIG_OPTION));
    if (path == null) {
      return null;
    }
    try {
      return ConfigFile.load(Path.of(path), serverKeys);
    } catch (ConfigFile.InvalidConfigException e) {
      throw new ParameterException(argSpec.command().commandLine(), e.getMessage());
    }
  }
}
