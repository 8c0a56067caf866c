package dev.natter.cli;

import dev.natter.cli.admin.AdminCommand;
import dev.natter.cli.chat.ChatCommand;
import dev.natter.cli.oneshot.HistoryCommand;
import dev.natter.cli.oneshot.LoginCommand;
import dev.natter.cli.oneshot.LogoutCommand;
import dev.natter.cli.oneshot.RegisterCommand;
import dev.natter.cli.oneshot.RoomsCommand;
import dev.natter.cli.oneshot.SendCommand;
import dev.natter.cli.oneshot.TailCommand;
import dev.natter.cli.serve.ServeCommand;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code natter} command: the entry point of the runnable jar. */
@Command(
    name = "natter",
    mixinStandardHelpOptions = true,
    versionProvider = Natter.Version.class,
    description = {
      "Natter: real-time chat for the JVM. A server with a browser UI, a terminal client,",
      "scriptable one-shot commands and administration of the database."
    },
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
      AdminCommand.class,
      dev.natter.cli.bench.BenchCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter serve                      start the server; open http://127.0.0.1:8080",
      "  natter chat                       the terminal client (logs in on first use)",
      "  natter send general 'hello'       post one message from a script",
      "  natter tail general --json        stream new messages as JSON lines",
      "  natter admin backup backup.db     copy the live database",
      "  source <(natter generate-completion)   bash/zsh completion",
      "",
      "Exit codes: 0 ok, 1 failure, 2 usage error. NATTER_DEBUG=1 prints stack traces."
    })
public final class Natter implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    Logging.configure(args);
    int code = commandLine(CliContext.system()).execute(args);
    System.exit(code);
  }

  /** A command line with every subcommand, wired to a context, with the exit-code mapping. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Natter(), new Factory(context));
    ExitCodes exitCodes = new ExitCodes(context);
    cl.setExecutionExceptionHandler(exitCodes);
    cl.setParameterExceptionHandler(exitCodes);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine completion = cl.getSubcommands().get("generate-completion");
    if (completion != null) {
      completion.getCommandSpec().usageMessage().hidden(false);
    }
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

  /** The version from the build. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"natter " + version(), "Java " + System.getProperty("java.version")};
    }

    public static String version() {
      try (InputStream in = Natter.class.getResourceAsStream("version.properties")) {
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
}
