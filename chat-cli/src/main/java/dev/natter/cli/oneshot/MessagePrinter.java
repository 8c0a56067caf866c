package dev.natter.cli.oneshot;

import dev.natter.cli.term.FileLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.codec.JsonCodec;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Prints messages for scripts: one line each, {@code 2026-11-28T12:34:56Z #general #12 <alice> text
 * [file: spec.pdf 1.2 MB f-1]} (foreign text sanitized, newlines as {@code \n}), or one JSON object
 * per line in the protocol's {@code message} shape.
 */
final class MessagePrinter {
  private final PrintWriter out;
  private final boolean json;

  MessagePrinter(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void print(Message m, String roomLabel) {
    if (json) {
      out.println(JsonCodec.shared().encodeMessage(m));
    } else {
      StringBuilder sb = new StringBuilder();
      sb.append(DateTimeFormatter.ISO_INSTANT.format(m.ts().truncatedTo(ChronoUnit.SECONDS)));
      sb.append(' ').append(roomLabel).append(" #").append(m.seq()).append(' ');
      sb.append('<').append(Sanitizer.line(m.sender().username())).append('>');
      if (m.deleted()) {
        sb.append(" (deleted)");
      } else {
        String body = Sanitizer.clean(m.body()).replace("\n", "\\n").replace('\t', ' ');
        if (!body.isEmpty() || m.files().isEmpty()) {
          sb.append(' ').append(body);
        }
        for (FileInfo f : m.files()) {
          sb.append(' ').append(FileLabel.of(f));
        }
        if (m.editedAt() != null) {
          sb.append(" (edited)");
        }
      }
      out.println(sb);
    }
    out.flush();
  }
}
