package dev.natter.cli.admin;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.DataDir;
import dev.natter.cli.DisplayNameOption;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.PasswordOption;
import dev.natter.cli.StoreOption;
import dev.natter.core.ChatEngine;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.store.postgres.PostgresChatStore;
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
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code natter admin ...}: work on the database directly (also while a server runs). */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Administer the database file, also while a server runs.",
      "%nThe subcommands work on <data-dir>/natter.db itself. They are safe while a server runs"
          + " on the same data directory: SQLite serializes the writes of both processes.",
      "%nWith --store postgresql://... (env NATTER_STORE) create-user, reset-password, export and"
          + " import work on the PostgreSQL store of a cluster instead."
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
      "  natter admin export dump.json",
      "  natter admin import -d ./new-data dump.json"
    })
public final class AdminCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** What every admin subcommand has: the context, its own spec (for output) and --data-dir. */
  abstract static class DatabaseCommand implements Callable<Integer> {
    final CliContext context;
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataDir dataDir;
    @Mixin StoreOption store;

    DatabaseCommand(CliContext context) {
      this.context = context;
    }

    /** Prints the line that says what was done. */
    void report(String line) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** {@code create-user} and {@code reset-password}: a new password for a user. */
  abstract static class PasswordCommand extends DatabaseCommand {
    @Parameters(
        index = "0",
        paramLabel = "USERNAME",
        description = "The username (3-32 letters, digits, '.', '_' or '-').")
    String username;

    @Mixin PasswordOption password;

    PasswordCommand(CliContext context) {
      super(context);
    }

    /**
     * Asks for the new password (twice at a terminal), then opens the database (creating it when
     * {@code create}) and runs {@code work} with an engine on it and the password; closes both.
     */
    void withNewPassword(boolean create, BiConsumer<ChatEngine, String> work) {
      String newPassword = password.read(context, true);
      try (ChatStore opened = store.open(context, dataDir, create);
          ChatEngine engine = engine(opened)) {
        work.accept(engine, newPassword);
      }
    }

    private ChatEngine engine(ChatStore store) {
      ChatEngine.Builder b = ChatEngine.builder(store);
      if (context.passwordHasher() != null) {
        b.passwordHasher(context.passwordHasher());
      }
      return b.build();
    }
  }

  /** {@code natter admin create-user}. */
  @Command(
      name = "create-user",
      mixinStandardHelpOptions = true,
      description = "Create an account (without signing it in).",
      footerHeading = "%nExamples:%n",
      footer = {
        "  natter admin create-user alice --display-name Alice",
        "  echo \"$PW\" | natter admin create-user bot \\",
        "    --password-stdin -d /srv/natter"
      })
  static final class CreateUser extends PasswordCommand {
    @Mixin DisplayNameOption displayName;

    CreateUser(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      withNewPassword(
          true,
          (engine, password) -> {
            User u = engine.createUser(username, password, displayName.value());
            report("created user " + u.username() + " (" + u.id() + ")");
          });
      return ExitCodes.OK;
    }
  }

  /** {@code natter admin reset-password}. */
  @Command(
      name = "reset-password",
      mixinStandardHelpOptions = true,
      description = {
        "Set a new password and end the user's sessions.",
        "%nThe user's clients must sign in again; a running server refuses the old tokens at once."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin reset-password alice"})
  static final class ResetPassword extends PasswordCommand {
    ResetPassword(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() {
      withNewPassword(
          false,
          (engine, password) -> {
            engine.resetPassword(username, password);
            report("new password set for " + username + "; their sessions are ended");
          });
      return ExitCodes.OK;
    }
  }

  /** {@code natter admin backup}. */
  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Copy the live database and its uploaded files to a new backup.",
        "%nWrites a consistent copy of the database to FILE while the server keeps running"
            + " (SQLite VACUUM INTO), and the uploaded files that copy refers to into the"
            + " directory FILE.files beside it, laid out as <data-dir>/files. Neither may exist.",
        "%nTo restore it, stop the server, remove the database's files from the data directory"
            + " (natter.db with its -wal and -shm files), copy FILE there under the name natter.db,"
            + " copy the contents of FILE.files (if any) into <data-dir>/files, and start the"
            + " server."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin backup /backups/natter-$(date +%%F-%%H%%M).db"})
  static final class Backup extends DatabaseCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The new file.")
    Path file;

    Backup(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws IOException {
      if (store.isPostgres(context)) {
        throw CliException.failure(
            "natter admin backup copies the SQLite database; back PostgreSQL up with its own tools"
                + " (pg_dump), or use natter admin export");
      }
      if (Files.exists(file)) {
        throw CliException.failure(file + " exists; choose a new file name");
      }
      long start = System.nanoTime();
      DataDirBackup.Result r;
      try (SqliteChatStore sqlite = dataDir.open(context, false)) {
        r = DataDirBackup.backup(sqlite, dataDir.path(context), file);
      }
      report(
          "backup written to "
              + file.toAbsolutePath()
              + (r.blobs() > 0
                  ? " with "
                      + r.blobs()
                      + " file blobs ("
                      + r.bytes()
                      + " bytes) in "
                      + DataDirBackup.filesOf(file.toAbsolutePath())
                  : "")
              + (r.missing() > 0
                  ? "; "
                      + r.missing()
                      + " blobs were removed after the database copy (their messages were"
                      + " deleted)"
                  : "")
              + " in "
              + millisSince(start)
              + " ms");
      return ExitCodes.OK;
    }
  }

  /** {@code natter admin export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write the whole database as one JSON document.",
        "%nEvery user (with password hash), room, membership (with read marker) and message (with"
            + " reactions); the format is in docs/operations.md.",
        "%nIt works while a server runs and exports one point in time: from a copy of the database"
            + " made first in the data directory, removed afterwards (it needs about the"
            + " database's size free there)."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  natter admin export natter.json",
        "  natter admin export - | gzip > natter.json.gz"
      })
  static final class Export extends DatabaseCommand {
    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The file to write (replaced if it exists), or a dash for standard output.")
    String file;

    Export(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws IOException {
      Supplier<SqliteChatStore> live = () -> dataDir.open(context, false);
      Path dir = dataDir.path(context);
      String postgres = store.url(context);
      if (file.equals("-")) {
        OutputStream out = System.out;
        if (postgres != null) {
          exportPostgres(postgres, out);
        } else {
          DataDirTransfer.exportSnapshot(live, dir, out);
        }
        out.flush();
        spec.commandLine().getErr().flush();
        return ExitCodes.OK;
      }
      Path target = Path.of(file).toAbsolutePath();
      Path tmp = target.resolveSibling(target.getFileName() + ".partial");
      tmp.toFile().deleteOnExit(); // also when stopped with Ctrl-C or SIGTERM
      DataTransfer.Counts counts;
      try {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
          counts =
              postgres != null
                  ? exportPostgres(postgres, out)
                  : DataDirTransfer.exportSnapshot(live, dir, out);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      report("exported " + describe(counts) + " to " + target);
      return ExitCodes.OK;
    }
  }

  /**
   * Exports straight from a PostgreSQL store, page by page (one point in time only while no node
   * writes).
   */
  private static DataTransfer.Counts exportPostgres(String url, OutputStream out)
      throws IOException {
    try (PostgresChatStore pg = StoreOption.openPostgres(url)) {
      return DataTransfer.export(pg, pg.blobStore(), out);
    }
  }

  /** {@code natter admin import}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Read an export into a new database.",
        "%nThe data directory must hold no natter.db: the import builds the database beside it"
            + " and renames it to natter.db only on success, so a failed import leaves nothing"
            + " behind. Users keep their passwords; everyone signs in again."
      },
      footerHeading = "%nExamples:%n",
      footer = {"  natter admin import -d ./new-data natter.json"})
  static final class Import extends DatabaseCommand {
    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "A file written by natter admin export, or a dash for standard input.")
    String file;

    Import(CliContext context) {
      super(context);
    }

    @Override
    public Integer call() throws IOException {
      if (!file.equals("-") && !Files.isRegularFile(Path.of(file))) {
        throw CliException.failure("no file " + file);
      }
      long start = System.nanoTime();
      DataTransfer.Counts counts;
      String postgres = store.url(context);
      try (InputStream in =
          file.equals("-")
              ? context.stdin()
              : new BufferedInputStream(Files.newInputStream(Path.of(file)))) {
        counts =
            postgres != null
                ? importPostgres(postgres, in)
                : DataDirTransfer.importNew(dataDir.database(context), in);
      }
      report(
          "imported "
              + describe(counts)
              + " into "
              + (postgres != null ? "the PostgreSQL store" : dataDir.database(context))
              + " in "
              + millisSince(start)
              + " ms");
      return ExitCodes.OK;
    }
  }

  /** Imports into a PostgreSQL store that holds no user and no room yet. */
  private static DataTransfer.Counts importPostgres(String url, InputStream in) throws IOException {
    try (PostgresChatStore pg = StoreOption.openPostgres(url)) {
      StoreTransfer transfer = pg;
      if (!transfer.exportUsers(null, 1).isEmpty() || !transfer.exportRooms(null, 1).isEmpty()) {
        throw CliException.failure(
            "the PostgreSQL store is not empty: import only into a new database (or schema)");
      }
      ImportedBlobs blobs =
          new ImportedBlobs(pg::blobStore, Path.of(System.getProperty("java.io.tmpdir")));
      boolean done = false;
      try {
        DataTransfer.Counts counts = DataTransfer.importInto(pg, blobs, in);
        done = true;
        return counts;
      } finally {
        if (!done) {
          blobs.removeAdded();
        }
      }
    }
  }

  private static String describe(DataTransfer.Counts counts) {
    return counts.users()
        + " users, "
        + counts.rooms()
        + " rooms, "
        + counts.messages()
        + " messages, "
        + counts.files()
        + " files"
        + (counts.filesLeftOut() > 0
            ? " (" + counts.filesLeftOut() + " files left out: removed after the snapshot)"
            : "");
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
