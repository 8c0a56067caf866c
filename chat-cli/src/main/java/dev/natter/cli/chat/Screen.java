package dev.natter.cli.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.InfoCmp;
import org.jline.utils.Status;

/**
 * What the terminal shows: lines printed above the prompt, the prompt with the current room, and
 * the status line at the bottom. Any thread may print; redraws happen under the reader's lock.
 */
final class Screen {
  private final Terminal terminal;
  private final NatterReader reader;
  private final RoomBook book;
  private final StatusLine statusLine;
  private final Consumer<String> statusListener;
  private final Transfers transfers;
  private Status status;

  Screen(
      Terminal terminal,
      NatterReader reader,
      RoomBook book,
      StatusLine statusLine,
      Transfers transfers,
      Consumer<String> statusListener) {
    this.terminal = terminal;
    this.transfers = transfers;
    this.reader = reader;
    this.book = book;
    this.statusLine = statusLine;
    this.statusListener = statusListener;
  }

  /** Starts showing the status line. */
  void open() {
    status = Status.getStatus(terminal, true);
  }

  /** Prints a line above the prompt (or plainly when no prompt is shown). */
  void print(AttributedString line) {
    reader.printAbove(line);
  }

  /** The prompt: the current room. */
  String prompt() {
    String label = book.currentEntry().map(e -> e.label).orElse("(no room)");
    return new AttributedStringBuilder()
        .styled(Palette.ROOM, "[" + label + "]")
        .append(" ")
        .toAnsi(terminal);
  }

  /** Shows the prompt for the current room, if the reader is waiting for input. */
  void refreshPrompt() {
    if (reader.isReading()) {
      reader.locked(this::redrawPrompt);
    }
  }

  /** Redraws the prompt; from a key binding's widget, which holds the reader's lock already. */
  void redrawPrompt() {
    reader.setPrompt(prompt());
    reader.callWidget(LineReader.REDRAW_LINE);
    reader.callWidget(LineReader.REDISPLAY);
  }

  /** Redraws the status line, and above it a line per upload in progress. */
  void refreshStatus() {
    int width = terminal.getWidth();
    List<AttributedString> rows = new ArrayList<>();
    for (AttributedString t : transfers.lines()) {
      rows.add(width > 1 && t.columnLength() > width - 1 ? t.columnSubSequence(0, width - 1) : t);
    }
    rows.add(statusLine.render(width));
    StringBuilder plain = new StringBuilder();
    for (AttributedString row : rows) {
      plain.append(plain.length() == 0 ? "" : "\n").append(row);
    }
    statusListener.accept(plain.toString());
    if (status != null) {
      reader.locked(() -> status.update(rows));
    }
  }

  /** Rings the terminal bell. */
  void bell() {
    reader.locked(
        () -> {
          if (!terminal.puts(InfoCmp.Capability.bell)) {
            terminal.writer().write('\u0007');
          }
          terminal.flush();
        });
  }

  /** Removes the status line and flushes. */
  void close() {
    if (status != null) {
      status.update(List.of());
      status.close();
    }
    terminal.writer().flush();
  }
}
