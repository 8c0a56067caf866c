package dev.natter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of natter from the build ({@code version.properties}), for {@code --version}. */
public final class NatterVersion implements IVersionProvider {
  /** The lines {@code natter --version} prints: natter's version and the Java version. */
  @Override
  public String[] getVersion() {
    return new String[] {"natter " + version(), "Java " + System.getProperty("java.version")};
  }

  /** The version of the build, or {@code unknown} when the resource is missing. */
  public static String version() {
    try (InputStream in = NatterVersion.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
