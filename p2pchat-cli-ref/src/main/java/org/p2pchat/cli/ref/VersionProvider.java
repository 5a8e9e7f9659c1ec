package org.p2pchat.cli.ref;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of this build, from a resource the build fills in. Thread-safe. */
public final class VersionProvider implements IVersionProvider {

  /** A provider. */
  public VersionProvider() {}

  /** This build's version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "p2pchat " + version(),
      "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"
    };
  }
}
