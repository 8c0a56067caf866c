package dev.natter.cli.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The level natter logs at, per command, option and environment (the set-up itself is global). */
class LoggingTest {
  private static String levelFor(Map<String, String> env, String... args) {
    CliContext context = new CliContext(env, new ByteArrayInputStream(new byte[0]), Path.of("."));
    return Logging.level(context, Natter.commandLine(context).parseArgs(args));
  }

  @Test
  void quietByDefaultVerboseOnRequest() {
    assertThat(levelFor(Map.of(), "serve")).isEqualTo("warn");
    assertThat(levelFor(Map.of(), "serve", "--verbose")).isEqualTo("info");
    assertThat(levelFor(Map.of(), "send", "general", "hi")).isEqualTo("warn");
    assertThat(levelFor(Map.of(), "admin", "backup", "x.db")).isEqualTo("warn");
  }

  @Test
  void theEnvironmentSetsAnyLevel() {
    assertThat(levelFor(Map.of("NATTER_LOG_LEVEL", "DEBUG"), "serve")).isEqualTo("debug");
    assertThat(levelFor(Map.of("NATTER_LOG_LEVEL", "error"), "serve", "--verbose"))
        .isEqualTo("error");
    assertThatThrownBy(() -> levelFor(Map.of("NATTER_LOG_LEVEL", "loud"), "serve"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("NATTER_LOG_LEVEL is one of off, error, warn")
        .satisfies(e -> assertThat(ExitCodes.exitCodeOf(e)).isEqualTo(ExitCodes.USAGE));
  }

  @Test
  void theTerminalClientLogsOnlyToAFile() {
    assertThat(levelFor(Map.of("NATTER_LOG_LEVEL", "debug"), "chat")).isEqualTo("off");
    assertThat(
            levelFor(Map.of("NATTER_LOG_LEVEL", "debug", "NATTER_LOG_FILE", "/tmp/x.log"), "chat"))
        .isEqualTo("debug");
    assertThat(levelFor(Map.of("NATTER_LOG_FILE", "/tmp/x.log"), "chat")).isEqualTo("warn");
  }

  @Test
  void javaUtilLoggingPassesExactlyTheRecordsOfTheLevel() {
    assertThat(Logging.julLevel("off")).isEqualTo(Level.OFF);
    assertThat(Logging.julLevel("error")).isEqualTo(Level.SEVERE);
    assertThat(Logging.julLevel("warn")).isEqualTo(Level.WARNING);
    assertThat(Logging.julLevel("info")).isEqualTo(Level.INFO);
    assertThat(Logging.julLevel("debug")).isEqualTo(Level.FINE);
    assertThat(Logging.julLevel("trace")).isEqualTo(Level.FINEST);
  }
}
