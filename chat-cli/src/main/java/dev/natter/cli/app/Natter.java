package dev.natter.cli.app;

import dev.natter.cli.CliContext;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.NatterVersion;
import dev.natter.cli.admin.AdminCommand;
import dev.natter.cli.chat.ChatCommand;
import dev.natter.cli.oneshot.DownloadCommand;
import dev.natter.cli.oneshot.HistoryCommand;
import dev.natter.cli.oneshot.LoginCommand;
import dev.natter.cli.oneshot.LogoutCommand;
import dev.natter.cli.oneshot.RegisterCommand;
import dev.natter.cli.oneshot.RoomsCommand;
import dev.natter.cli.oneshot.SendCommand;
import dev.natter.cli.oneshot.TailCommand;
import dev.natter.cli.serve.ServeCommand;
import java.lang.reflect.Constructor;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code natter} command: the entry point of the runnable jar. This package is the application
 * that puts the commands together; nothing imports it.
 */
@Command(
    name = "natter",
    mixinStandardHelpOptions = true,
    versionProvider = NatterVersion.class,
    description =
        "Real-time chat for the JVM: a server with a browser UI, a terminal client, scriptable"
            + " one-shot commands and administration of the database.",
    subcommands = {
      ServeCommand.class,
      ChatCommand.class,
      RegisterCommand.class,
      LoginCommand.class,
      LogoutCommand.class,
      SendCommand.class,
      RoomsCommand.class,
      HistoryCommand.class,
      TailCommand.class,
      DownloadCommand.class,
      AdminCommand.class,
      dev.natter.cli.bench.BenchCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter serve                 the server, on port 8080",
      "  natter chat                  the terminal client",
      "  natter send general 'hello'  one message from a script",
      "  natter tail general --json   new messages as JSON lines",
      "  natter admin backup my.db    copy the live database",
      "  source <(natter generate-completion)",
      "%nExit codes: 0 ok, 1 failure, 2 usage error. NATTER_DEBUG=1 prints stack traces;"
          + " NATTER_LOG_LEVEL (error, warn, info, debug, trace) sets how much is logged on"
          + " stderr (default warn), NATTER_LOG_FILE writes the log to a file instead."
    })
public final class Natter implements Runnable {
  @Spec CommandSpec spec;

  /**
   * Runs natter with the process's environment and exits with the command's exit code (see {@link
   * ExitCodes}). Logging is set up once the command line is parsed, before the command runs.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    CliContext context = CliContext.system();
    CommandLine cl = commandLine(context);
    cl.setExecutionStrategy(parsed -> configureLoggingAndRun(context, parsed));
    System.exit(cl.execute(args));
  }

  private static int configureLoggingAndRun(CliContext context, CommandLine.ParseResult parsed) {
    try {
      Logging.configure(context, parsed);
    } catch (RuntimeException e) {
      // to the exception handler (ExitCodes), like a failure of the command itself
      throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), "logging", e);
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /**
   * A command line with every subcommand, wired to a context, with the exit-code mapping; its help
   * texts wrap to the terminal's width (80 columns where there is no terminal).
   *
   * @param context what the commands take from the environment
   * @return the command line of {@code natter}, ready to execute
   */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Natter(), new Factory(context));
    ExitCodes exitCodes = new ExitCodes(context);
    cl.setExecutionExceptionHandler(exitCodes);
    cl.setParameterExceptionHandler(exitCodes);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    CommandLine completion = cl.getSubcommands().get("generate-completion");
    completion.getCommandSpec().usageMessage().hidden(false);
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Builds commands, handing the context to those with a {@code (CliContext)} constructor. */
  static final class Factory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(CliContext context) {
      this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
        c.setAccessible(true);
        return c.newInstance(context);
      } catch (NoSuchMethodException e) {
        return fallback.create(cls);
      }
    }
  }
}
