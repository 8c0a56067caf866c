package dev.natter.cli;

/**
 * A failure the user can understand from its message alone, with the exit code it ends the process
 * with: {@link #failure} (1) or {@link #usage} (2).
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Something failed (exit code 1). */
  public static CliException failure(String message) {
    return new CliException(ExitCodes.FAILURE, message, null);
  }

  public static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCodes.FAILURE, message, cause);
  }

  /** The command was used wrongly (exit code 2). */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message, null);
  }

  public int exitCode() {
    return exitCode;
  }
}
