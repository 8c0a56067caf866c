package dev.natter.cli;

import dev.natter.cli.config.ConfigFileException;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place that maps failures to exit codes and to the one line printed on stderr: 0 ok, 1
 * failure, 2 usage. Installed as the execution and parameter exception handler of the command line;
 * commands return {@link #OK} or throw.
 */
public final class ExitCodes implements IExecutionExceptionHandler, IParameterExceptionHandler {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  private final CliContext context;

  public ExitCodes(CliContext context) {
    this.context = context;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    Throwable t = unwrap(ex);
    PrintWriter err = cmd.getErr();
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + messageOf(t));
    if (context.env("NATTER_DEBUG") != null) {
      t.printStackTrace(err);
    }
    err.flush();
    return exitCodeOf(t);
  }

  /** The exit code for a failure. */
  public static int exitCodeOf(Throwable t) {
    t = unwrap(t);
    if (t instanceof CliException e) {
      return e.exitCode();
    }
    if (t instanceof ParameterException) {
      return USAGE;
    }
    return FAILURE;
  }

  /** The one line that explains a failure. */
  public static String messageOf(Throwable t) {
    t = unwrap(t);
    if (t instanceof CliException || t instanceof ConfigFileException) {
      return oneLine(t.getMessage());
    }
    if (t instanceof ChatException e) {
      return describe(e.code()) + ": " + oneLine(e.getMessage());
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof java.nio.channels.ClosedChannelException) {
        return "connection refused (is the server running?)";
      }
      if (c instanceof java.net.UnknownHostException) {
        return "unknown host " + c.getMessage();
      }
      if (c instanceof java.net.http.HttpTimeoutException) {
        return "the server did not answer in time";
      }
    }
    if (t.getMessage() == null && t.getCause() != null) {
      return messageOf(t.getCause());
    }
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      return t.getMessage() == null
          ? "connection failed (" + t.getClass().getSimpleName() + ")"
          : "I/O error: " + oneLine(t.getMessage());
    }
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + oneLine(msg));
  }

  private static String describe(ErrorCode code) {
    switch (code) {
      case UNAUTHORIZED:
        return "not signed in (run 'natter login')";
      case FORBIDDEN:
        return "not allowed";
      case NOT_FOUND:
        return "not found";
      case CONFLICT:
        return "conflict";
      case TOO_LARGE:
        return "too large";
      case RATE_LIMITED:
        return "rate limited";
      case BAD_REQUEST:
        return "bad request";
      default:
        return "server error";
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException
            || t instanceof ExecutionException
            || t instanceof CommandLine.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Folds a message onto one line. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }
}
