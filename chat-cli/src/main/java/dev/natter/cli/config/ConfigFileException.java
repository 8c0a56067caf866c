package dev.natter.cli.config;

/**
 * The config file cannot be read, parsed or written; the message names the file and says why, so
 * the user can act on it alone. {@code ExitCodes} maps it to exit code 1.
 */
public final class ConfigFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
