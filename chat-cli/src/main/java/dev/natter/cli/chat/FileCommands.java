package dev.natter.cli.chat;

import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.term.FileLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.client.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * {@code /upload <path> [text]}: uploads a file into the current room in the background, with a
 * progress line above the status line, then sends it (with the text, if any) like a typed message:
 * through the outbox, so it goes out once the server acknowledges it even across a reconnect.
 */
final class FileCommands {
  private final SessionState session;
  private final Connection connection;
  private final CurrentRoom currentRoom;
  private final Transfers transfers;
  private final Path workingDirectory;
  private final Screen screen;
  private final Lines lines;

  FileCommands(
      SessionState session,
      Connection connection,
      CurrentRoom currentRoom,
      Transfers transfers,
      Path workingDirectory,
      Screen screen,
      Lines lines) {
    this.session = session;
    this.connection = connection;
    this.currentRoom = currentRoom;
    this.transfers = transfers;
    this.workingDirectory = workingDirectory;
    this.screen = screen;
    this.lines = lines;
  }

  /** {@code /upload <path> [text]}; a path with spaces in quotes. Returns at once. */
  void upload(String arg) {
    RoomBook.Entry room = currentRoom.get();
    String[] pathAndText = splitPath(arg);
    Path file = resolve(pathAndText[0]);
    String text = pathAndText[1];
    if (!Files.isRegularFile(file)) {
      throw CliException.failure("no file " + file);
    }
    if (!Files.isReadable(file)) {
      throw CliException.failure("cannot read " + file);
    }
    ChatClient c = connection.client();
    if (c == null) {
      throw CliException.failure("not connected yet");
    }
    String name = Sanitizer.line(file.getFileName().toString());
    long size;
    try {
      size = Files.size(file);
    } catch (java.io.IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage(), e);
    }
    Transfers.Transfer t = transfers.start("uploading " + name + " to " + room.label, size);
    screen.refreshStatus();
    c.upload(
            room.id(),
            file,
            (bytes, total) -> {
              if (transfers.progress(t, bytes, total)) {
                screen.refreshStatus();
              }
            })
        .thenCompose(
            uploaded -> {
              transfers.finish(t);
              screen.print(
                  lines.ok(
                      "uploaded "
                          + name
                          + " ("
                          + FileLabel.size(uploaded.size())
                          + ") to "
                          + room.label));
              screen.refreshStatus();
              return c.send(
                  new Outbox.Entry(
                      UUID.randomUUID().toString(), room.id(), text, null, List.of(uploaded.id())));
            })
        .whenComplete(
            (ack, error) -> {
              transfers.finish(t);
              if (error != null && session.running) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (!(cause instanceof CancellationException)) {
                  screen.print(
                      lines.error(
                          "not sent: "
                              + name
                              + " to "
                              + room.label
                              + ": "
                              + ExitCodes.messageOf(cause)));
                }
              }
              screen.refreshStatus();
            });
  }

  /**
   * The path (in double or single quotes when it has spaces) and the rest of the line, stripped.
   */
  static String[] splitPath(String arg) {
    String a = arg.strip();
    if (a.isEmpty()) {
      throw CliException.usage("usage: " + SlashCommand.UPLOAD.syntax);
    }
    char first = a.charAt(0);
    if (first == '"' || first == '\'') {
      int end = a.indexOf(first, 1);
      if (end < 0) {
        throw CliException.usage("the path's closing " + first + " is missing");
      }
      return new String[] {a.substring(1, end), a.substring(end + 1).strip()};
    }
    String[] p = a.split("\\s+", 2);
    return new String[] {p[0], p.length > 1 ? p[1].strip() : ""};
  }

  /** A path as typed: {@code ~/} is the home directory, relative paths start in the cwd. */
  private Path resolve(String typed) {
    if (typed.equals("~") || typed.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + typed.substring(1));
    }
    return workingDirectory.resolve(typed).normalize();
  }
}
