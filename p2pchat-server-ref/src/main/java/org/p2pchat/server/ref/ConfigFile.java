package org.p2pchat.server.ref;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code --config} file: a Java properties file (UTF-8) whose keys are the long option names
 * without their dashes, such as {@code port = 7777} or {@code session-idle-timeout = 2m}. A key
 * that names no option is an error, so that a misspelt setting never goes unnoticed; a blank
 * value counts as not set, as it does in the environment.
 *
 * <p>picocli's own {@code PropertiesDefaultProvider} reads the same format but ignores a missing
 * file and unknown keys, both of which an operator should hear about.
 *
 * <p>Immutable and thread-safe.
 */
final class ConfigFile {
  private final Path path;
  private final Map<String, String> values;

  private ConfigFile(Path path, Map<String, String> values) {
    this.path = path;
    this.values = values;
  }

  /**
   * Reads {@code path}.
   *
   * @param keys the keys allowed, each a long option name without its dashes
   * @throws InvalidConfigException with a sentence naming the file (and the key) when the file
   *     cannot be read or holds a key that is not allowed
   */
  static ConfigFile load(Path path, Set<String> keys) throws InvalidConfigException {
    Path file = path.toAbsolutePath().normalize();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException("the config file " + file + " does not exist");
    } catch (AccessDeniedException e) {
      throw new InvalidConfigException("the config file " + file + " is not readable: permission denied");
    } catch (MalformedInputException e) {
      throw new InvalidConfigException("the config file " + file + " is not UTF-8 text");
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a malformed \\uXXXX escape.
      throw new InvalidConfigException("cannot read the config file " + file + ": " + e.getMessage());
    }
    Map<String, String> values = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (!keys.contains(key)) {
        throw new InvalidConfigException(key.equals("config")
            ? "the config file " + file + " sets 'config': a config file cannot name another"
            : "unknown key '" + key + "' in the config file " + file
                + " (its keys are the long option names without '--', such as port or db)");
      }
      String value = p.getProperty(key).strip();
      if (!value.isEmpty()) {
        values.put(key, value);
      }
    }
    return new ConfigFile(file, values);
  }

  /** The value for {@code longOptionName} (such as {@code --port}), or null when the file does not set it. */
  String value(String longOptionName) {
    return values.get(key(longOptionName));
  }

  /** The file's key for a long option name: {@code --session-idle-timeout} is {@code session-idle-timeout}. */
  static String key(String longOptionName) {
    return longOptionName.replaceFirst("^-+", "");
  }

  /** The file (absolute). */
  Path path() {
    return path;
  }

  /** A config file that cannot be used; its message is one sentence naming the file. */
  static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String sentence) {
      super(sentence);
    }
  }
}
