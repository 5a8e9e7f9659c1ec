package org.p2pchat.cli.ref;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for options: an environment variable named after the option ({@code --server} reads
 * {@code P2PCHAT_SERVER}, {@code --user} reads {@code P2PCHAT_USER}),
 * else a built-in default, else the option's own annotation default.
 *
 * <p>Immutable and thread-safe; the maps are copied.
 */
public final class EnvDefaults implements IDefaultValueProvider {
  private final Map<String, String> env;
  private final Map<String, String> builtIn;

  /**
   * @param env the environment to read, usually {@link System#getenv()}
   * @param builtIn defaults by long option name (such as {@code "--server"}) for options whose
   *     default is computed rather than written in an annotation
   */
  public EnvDefaults(Map<String, String> env, Map<String, String> builtIn) {
    this.env = Map.copyOf(env);
    this.builtIn = Map.copyOf(builtIn);
  }

  /** The environment variable that sets {@code longOptionName}, such as {@code P2PCHAT_USER} for {@code --user}. */
  public static String variableFor(String longOptionName) {
    Objects.requireNonNull(longOptionName, "longOptionName");
    String bare = longOptionName.replaceFirst("^-+", "");
    return "P2PCHAT_" + bare.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!argSpec.isOption()) {
      return null;
    }
    String name = ((OptionSpec) argSpec).longestName();
    String fromEnv = env.get(variableFor(name));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    return builtIn.get(name);
  }
}
