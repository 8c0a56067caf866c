package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.term.FileLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.client.TransferProgress;
import dev.natter.core.model.FileInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code natter download <file-id> [-o path]}: saves a file sent in one of my rooms. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = {
      "Save a file that was sent in one of your rooms.",
      "%nFILE-ID is the id in a message's [file: name size id]. The file is saved under its own"
          + " name in the current directory, or in the directory -o names; when a file of that"
          + " name exists, a number is added (report (1).pdf). A file named with -o is never"
          + " overwritten: the download is refused when it exists."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter download 01J9Z3K8QW",
      "  natter download 01J9Z3K8QW -o ~/Downloads",
      "  natter download 01J9Z3K8QW -o spec-v2.pdf"
    })
public final class DownloadCommand extends ClientCommand {
  private static final int MAX_NUMBERED = 1000;

  @Parameters(index = "0", paramLabel = "FILE-ID", description = "The file's id.")
  String fileId;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description = "A directory to save into, or a new file to save as.")
  String output;

  DownloadCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws IOException {
    Path cwd = context.workingDirectory();
    Path target = output == null ? cwd : cwd.resolve(output).normalize();
    Account account = new Account(context, server.value());
    ChatClient client = account.httpClient();
    try {
      Path saved;
      FileInfo file;
      if (Files.isDirectory(target)) {
        // not createTempFile: that one is private (0600); the saved file gets the usual mode
        Path part = Files.createFile(target.resolve(".natter-download-" + UUID.randomUUID()));
        try {
          try (OutputStream out = Files.newOutputStream(part)) {
            file = Account.await(client.download(fileId, out, TransferProgress.NONE));
          }
          saved = placeUnderFreeName(part, target, safeName(file.name()));
        } finally {
          Files.deleteIfExists(part);
        }
      } else {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw CliException.failure(target + " exists; not overwriting it (choose another -o)");
        }
        file = Account.await(client.download(fileId, target, TransferProgress.NONE));
        saved = target;
      }
      spec.commandLine()
          .getOut()
          .println("saved " + displayed(cwd, saved) + " (" + FileLabel.size(file.size()) + ")");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } finally {
      client.close();
    }
  }

  /**
   * Gives the downloaded {@code part} its name in {@code dir}: {@code name}, else {@code name (1)},
   * {@code name (2)}... before the extension. A hard link claims the name atomically (it fails when
   * the name exists); where links are not supported, a move without replacing does.
   */
  static Path placeUnderFreeName(Path part, Path dir, String name) throws IOException {
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    for (int i = 0; i <= MAX_NUMBERED; i++) {
      Path candidate = dir.resolve(i == 0 ? name : stem + " (" + i + ")" + ext);
      try {
        try {
          Files.createLink(candidate, part);
        } catch (UnsupportedOperationException e) {
          Files.move(part, candidate);
        }
        return candidate;
      } catch (FileAlreadyExistsException e) {
        // taken: the next number
      }
    }
    throw CliException.failure("no free name for " + name + " in " + dir);
  }

  /** The server's name for the file, fit for a file name here: one path segment, printable. */
  static String safeName(String name) {
    String s = Sanitizer.line(name).replaceAll("[/\\\\\\x00-\\x1f]", "_").strip();
    while (s.startsWith(".")) {
      s = s.substring(1);
    }
    if (s.length() > 200) {
      s = s.substring(s.length() - 200);
    }
    return s.isBlank() ? "download" : s;
  }

  private static String displayed(Path cwd, Path saved) {
    return saved.startsWith(cwd) ? cwd.relativize(saved).toString() : saved.toString();
  }
}
