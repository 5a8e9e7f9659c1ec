package org.p2pchat.server.ref;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Defaults for options, in this order: an environment variable named after the option
 * ({@code --port} reads {@code P2PCHAT_PORT}, {@code --session-idle-timeout} reads
 * {@code P2PCHAT_SESSION_IDLE_TIMEOUT}), else the config file ({@link ConfigFile}) named by
 * {@value #CONFIG_OPTION} on the command line or by {@code P2PCHAT_CONFIG}, else a built-in
 * default, else the option's own annotation default. An option on the command line wins over
 * all of them, as picocli asks its default provider only for options the command line left out.
 *
 * <p>The config file is read again at each call: picocli calls this once per option while it
 * parses, after it has taken in the command line, so the {@value #CONFIG_OPTION} given there is
 * already known.
 *
 * <p>Immutable and thread-safe; the maps are copied.
 */
public final class EnvDefaults implements IDefaultValueProvider {
  /** The option that names the config file. */
  public static final String CONFIG_OPTION = "--config";

  private final Map<String, String> env;
  private final Map<String, String> builtIn;

  /**
   * @param env the environment to read, usually {@link System#getenv()}
   * @param builtIn defaults by long option name (such as {@code "--port"}) for options whose
   *     default is computed rather than written in an annotation
   */
  public EnvDefaults(Map<String, String> env, Map<String, String> builtIn) {
    this.env = Map.copyOf(env);
    this.builtIn = Map.copyOf(builtIn);
  }

  /** The environment variable that sets {@code longOptionName}, such as {@code P2PCHAT_DB} for {@code --db}. */
  public static String variableFor(String longOptionName) {
    Objects.requireNonNull(longOptionName, "longOptionName");
    String bare = longOptionName.replaceFirst("^-+", "");
    return "P2PCHAT_" + bare.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * @throws ParameterException when the config file cannot be read or holds an unknown key
   */
  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!argSpec.isOption()) {
      return null;
    }
    String name = ((OptionSpec) argSpec).longestName();
    String fromEnv = fromEnv(name);
    if (fromEnv != null) {
      return fromEnv;
    }
    if (!name.equals(CONFIG_OPTION)) {
      ConfigFile file = configFile(argSpec.command());
      String fromFile = file == null ? null : file.value(name);
      if (fromFile != null) {
        return fromFile;
      }
    }
    return builtIn.get(name);
  }

  /** An environment variable of the environment given, such as a password no option may carry; null when unset. */
  public String variable(String name) {
    return env.get(name);
  }

  private String fromEnv(String longOptionName) {
    String value = env.get(variableFor(longOptionName));
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The config file named on the command line, else in the environment; null when neither names one. */
  private ConfigFile configFile(CommandSpec command) {
    OptionSpec option = command.findOption(CONFIG_OPTION);
    if (option == null) {
      return null;
    }
    Object given = option.getValue();
    String path = given != null ? given.toString() : fromEnv(CONFIG_OPTION);
    if (path == null) {
      return null;
    }
    try {
      return ConfigFile.load(Path.of(path), keys(command));
    } catch (ConfigFile.InvalidConfigException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  /** The keys a config file may set: every option of the command but --config, --help and --version. */
  static Set<String> keys(CommandSpec command) {
    return command.options().stream()
        .filter(o -> !o.usageHelp() && !o.versionHelp() && !o.longestName().equals(CONFIG_OPTION))
        .map(o -> ConfigFile.key(o.longestName()))
        .collect(Collectors.toUnmodifiableSet());
  }
}
