package dev.natter.cli;

import dev.natter.core.spi.PasswordHasher;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the world outside the command line: environment variables, standard
 * input, the user's home, and the parts tests replace (a fast password hasher, a terminal).
 */
public final class CliContext {
  private final Map<String, String> env;
  private final InputStream stdin;
  private final Path home;
  private PasswordHasher passwordHasher;
  private TerminalFactory terminalFactory = TerminalFactory.system();
  private java.util.function.Consumer<String> statusListener = s -> {};
  private Path workingDirectory = Path.of("").toAbsolutePath();

  public CliContext(Map<String, String> env, InputStream stdin, Path home) {
    this.env = Map.copyOf(env);
    this.stdin = Objects.requireNonNull(stdin);
    this.home = Objects.requireNonNull(home);
  }

  /** The real environment, standard input and home directory. */
  public static CliContext system() {
    return new CliContext(System.getenv(), System.in, Path.of(System.getProperty("user.home")));
  }

  /** An environment variable, or null when unset or blank. */
  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** The first non-null of an option's value, an environment variable, and a default. */
  public String setting(String optionValue, String envName, String defaultValue) {
    if (optionValue != null) {
      return optionValue;
    }
    String v = env(envName);
    return v != null ? v : defaultValue;
  }

  public InputStream stdin() {
    return stdin;
  }

  public Path home() {
    return home;
  }

  /** The user config file: {@code $NATTER_CONFIG}, else {@code ~/.config/natter/config.json}. */
  public Path configFile() {
    String explicit = env("NATTER_CONFIG");
    if (explicit != null) {
      return Path.of(explicit).toAbsolutePath();
    }
    String xdg = env("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : home.resolve(".config");
    return base.resolve("natter").resolve("config.json").toAbsolutePath();
  }

  /** The password hasher for servers and admin commands this process starts; null = default. */
  public PasswordHasher passwordHasher() {
    return passwordHasher;
  }

  public CliContext passwordHasher(PasswordHasher hasher) {
    this.passwordHasher = hasher;
    return this;
  }

  public TerminalFactory terminalFactory() {
    return terminalFactory;
  }

  /** Sees every status line {@code natter chat} shows, as plain text (tests). */
  public java.util.function.Consumer<String> statusListener() {
    return statusListener;
  }

  public CliContext statusListener(java.util.function.Consumer<String> listener) {
    this.statusListener = Objects.requireNonNull(listener);
    return this;
  }

  /** Where relative paths start and {@code natter download} saves by default. */
  public Path workingDirectory() {
    return workingDirectory;
  }

  public CliContext workingDirectory(Path directory) {
    this.workingDirectory = directory.toAbsolutePath();
    return this;
  }

  public CliContext terminalFactory(TerminalFactory factory) {
    this.terminalFactory = Objects.requireNonNull(factory);
    return this;
  }
}
