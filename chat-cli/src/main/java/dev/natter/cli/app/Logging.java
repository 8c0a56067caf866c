package dev.natter.cli.app;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.Verbosity;
import dev.natter.cli.chat.ChatCommand;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one place logging is set up. Everything ends in SLF4J and its provider slf4j-simple, one line
 * per record: natter's own code and most libraries log through SLF4J; java.util.logging (Tyrus,
 * Grizzly) is routed to it by jul-to-slf4j, and {@code System.Logger} (chat-core) by
 * slf4j-jdk-platform-logging, which the JDK finds on the class path.
 *
 * <p>Quiet by default: warnings and errors on stderr. {@code --verbose} (where a command has it)
 * logs at level info; {@code NATTER_LOG_LEVEL} sets any level and {@code NATTER_LOG_FILE} writes to
 * a file instead of stderr. {@code natter chat} logs nothing unless to a file: a log line would
 * tear its screen apart. A {@code -Dorg.slf4j.simpleLogger.*} system property given to the JVM
 * wins.
 */
final class Logging {
  static final String LEVEL_ENV = "NATTER_LOG_LEVEL";
  static final String FILE_ENV = "NATTER_LOG_FILE";
  static final List<String> LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

  private static final String SIMPLE = "org.slf4j.simpleLogger.";

  private Logging() {}

  /**
   * Sets up logging for the command a parsed command line runs; call it before the command runs and
   * before anything logs (slf4j-simple reads its settings once).
   */
  static void configure(CliContext context, ParseResult parsed) {
    apply(level(context, parsed), context.env(FILE_ENV));
  }

  /** The level to log at for the command a parsed command line runs, in its environment. */
  static String level(CliContext context, ParseResult parsed) {
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    CommandSpec spec = command.commandSpec();
    boolean verbose =
        spec.mixins().values().stream()
            .map(CommandSpec::userObject)
            .anyMatch(o -> o instanceof Verbosity v && v.verbose());
    boolean ownsScreen = spec.userObject() instanceof ChatCommand;
    return level(context.env(LEVEL_ENV), verbose, ownsScreen && context.env(FILE_ENV) == null);
  }

  /**
   * The level to log at.
   *
   * @param env the value of {@code NATTER_LOG_LEVEL}, or null
   * @param verbose whether {@code --verbose} was given
   * @param screenOwned whether the command owns the terminal's screen and logs to no file
   */
  static String level(String env, boolean verbose, boolean screenOwned) {
    if (screenOwned) {
      return "off";
    }
    if (env != null) {
      String level = env.strip().toLowerCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw CliException.usage(
            LEVEL_ENV + " is one of " + String.join(", ", LEVELS) + ", not " + env);
      }
      return level;
    }
    return verbose ? "info" : "warn";
  }

  private static void apply(String level, String file) {
    setIfAbsent("defaultLogLevel", level);
    setIfAbsent("logFile", file == null ? "System.err" : file);
    setIfAbsent("showDateTime", "true");
    setIfAbsent("dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("showThreadName", "false");
    setIfAbsent("showShortLogName", "true");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    // java.util.logging drops records below its own level before the bridge sees them
    Logger.getLogger("").setLevel(julLevel(System.getProperty(SIMPLE + "defaultLogLevel")));
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(SIMPLE + key) == null) {
      System.setProperty(SIMPLE + key, value);
    }
  }

  /** The java.util.logging level that lets exactly the records of an SLF4J level through. */
  static Level julLevel(String slf4jLevel) {
    switch (String.valueOf(slf4jLevel).toLowerCase(Locale.ROOT)) {
      case "off":
        return Level.OFF;
      case "error":
        return Level.SEVERE;
      case "info":
        return Level.INFO;
      case "debug":
        return Level.FINE;
      case "trace":
        return Level.FINEST;
      default:
        return Level.WARNING;
    }
  }
}
