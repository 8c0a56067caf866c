package dev.natter.cli.admin;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.DataDir;
import dev.natter.cli.Prompts;
import dev.natter.core.ChatEngine;
import dev.natter.core.model.User;
import dev.natter.store.sqlite.SqliteChatStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code natter admin ...}: work on the database directly (also while a server runs). */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Administration on the database file itself (<data-dir>/natter.db). Safe while a server",
      "runs on the same data directory: SQLite serializes the writes of both processes."
    },
    subcommands = {
      AdminCommand.CreateUser.class,
      AdminCommand.ResetPassword.class,
      AdminCommand.Backup.class,
      AdminCommand.Export.class,
      AdminCommand.Import.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter admin create-user alice",
      "  natter admin backup /backups/natter-$(date +%%F).db",
      "  natter admin export dump.json && natter admin import -d ./new-data dump.json"
    })
public final class AdminCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  private static ChatEngine engine(CliContext context, SqliteChatStore store) {
    ChatEngine.Builder b = ChatEngine.builder(store);
    if (context.passwordHasher() != null) {
      b.passwordHasher(context.passwordHasher());
    }
    return b.build();
  }

  /**
   * Opens the database (creating it when {@code create}), runs {@code work} with an engine on it,
   * then closes both.
   */
  private static void withEngine(
      CliContext context, DataDir dataDir, boolean create, Consumer<ChatEngine> work) {
    try (SqliteChatStore store = dataDir.open(context, create);
        ChatEngine engine = engine(context, store)) {
      work.accept(engine);
    }
  }

  /** {@code natter admin create-user}. */
  @Command(
      name = "create-user",
      mixinStandardHelpOptions = true,
      description = "Create an account (without signing it in).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  natter admin create-user alice --display-name 'Alice Liddell'",
        "  echo \"$PW\" | natter admin create-user bot --password-stdin -d /srv/natter"
      })
  static final class CreateUser implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "3-32 of A-Z a-z 0-9 . _ -")
    String username;

    @Option(names = "--display-name", description = "The name others see (default: username).")
    String displayName;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    CreateUser(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      String password = Prompts.password(context, passwordStdin, true);
      withEngine(
          context,
          dataDir,
          true,
          engine -> {
            User u = engine.createUser(username, password, displayName);
            spec.commandLine()
                .getOut()
                .println("created user " + u.username() + " (" + u.id() + ")");
          });
      return 0;
    }
  }

  /** {@code natter admin reset-password}. */
  @Command(
      name = "reset-password",
      mixinStandardHelpOptions = true,
      description = {
        "Set a new password and end every session of the user (their clients must sign in",
        "again; a running server refuses the old tokens at once)."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin reset-password alice"})
  static final class ResetPassword implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;

    @Parameters(index = "0", paramLabel = "USERNAME")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    ResetPassword(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      String password = Prompts.password(context, passwordStdin, true);
      withEngine(
          context,
          dataDir,
          false,
          engine -> {
            engine.resetPassword(username, password);
            spec.commandLine()
                .getOut()
                .println("new password set for " + username + "; their sessions are ended");
          });
      return 0;
    }
  }

  /** {@code natter admin backup}. */
  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Write a consistent copy of the database to FILE while the server keeps running",
        "(SQLite VACUUM INTO). FILE must not exist. Restore: stop the server, copy FILE to",
        "<data-dir>/natter.db (remove natter.db-wal and natter.db-shm), start the server."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin backup /backups/natter-$(date +%%F-%%H%%M).db"})
  static final class Backup implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    Backup(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      if (Files.exists(file)) {
        throw CliException.failure(file + " exists; choose a new file name");
      }
      long start = System.nanoTime();
      try (SqliteChatStore store = dataDir.open(context, false)) {
        store.backupTo(file);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      spec.commandLine()
          .getOut()
          .println("backup written to " + file.toAbsolutePath() + " in " + ms + " ms");
      return 0;
    }
  }

  /** {@code natter admin export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write every user (with password hash), room, membership (with read marker) and",
        "message (with reactions) as one JSON document (format in docs/operations.md).",
        "Also while a server runs: it exports one point in time, from a copy of the database",
        "made first in the data directory (removed afterwards; it needs about the database's",
        "size free there). FILE - writes to standard output."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  natter admin export natter.json",
        "  natter admin export - | gzip > natter.json.gz"
      })
  static final class Export implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    Export(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      Supplier<SqliteChatStore> live = () -> dataDir.open(context, false);
      Path dir = dataDir.path(context);
      if (file.equals("-")) {
        OutputStream out = System.out;
        DataDirTransfer.exportSnapshot(live, dir, out);
        out.flush();
        spec.commandLine().getErr().flush();
        return 0;
      }
      Path target = Path.of(file).toAbsolutePath();
      Path tmp = target.resolveSibling(target.getFileName() + ".partial");
      tmp.toFile().deleteOnExit(); // also when stopped with Ctrl-C or SIGTERM
      DataTransfer.Counts counts;
      try {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
          counts = DataDirTransfer.exportSnapshot(live, dir, out);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      spec.commandLine()
          .getOut()
          .println(
              "exported "
                  + counts.users()
                  + " users, "
                  + counts.rooms()
                  + " rooms, "
                  + counts.messages()
                  + " messages to "
                  + target);
      return 0;
    }
  }

  /** {@code natter admin import}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Read an export into a new database in an empty data directory (refused when",
        "natter.db exists). It is built beside it and renamed to natter.db only on success:",
        "a failed import leaves nothing behind. Users keep their passwords; everyone signs",
        "in again. FILE - reads standard input."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin import -d ./new-data natter.json"})
  static final class Import implements Callable<Integer> {
    private final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;

    @Parameters(index = "0", paramLabel = "FILE")
    String file;

    Import(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      if (!file.equals("-") && !Files.isRegularFile(Path.of(file))) {
        throw CliException.failure("no file " + file);
      }
      long start = System.nanoTime();
      DataTransfer.Counts counts;
      try (InputStream in =
          file.equals("-")
              ? context.stdin()
              : new BufferedInputStream(Files.newInputStream(Path.of(file)))) {
        counts = DataDirTransfer.importNew(dataDir.database(context), in);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      spec.commandLine()
          .getOut()
          .println(
              "imported "
                  + counts.users()
                  + " users, "
                  + counts.rooms()
                  + " rooms, "
                  + counts.messages()
                  + " messages into "
                  + dataDir.database(context)
                  + " in "
                  + ms
                  + " ms");
      return 0;
    }
  }
}
