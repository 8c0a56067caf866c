package dev.natter.cli.chat;

import dev.natter.cli.term.Sanitizer;
import dev.natter.core.model.RoomSummary;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names after a leading {@code /}, room labels and public room names for
 * {@code /join}, usernames for {@code /dm}, {@code /msg}, {@code /invite} and {@code /kick} (and
 * for {@code @name} anywhere in a message).
 */
final class ChatCompleter implements Completer {
  private final RoomBook book;
  private final Supplier<List<RoomSummary>> publicRooms;

  ChatCompleter(RoomBook book, Supplier<List<RoomSummary>> publicRooms) {
    this.book = book;
    this.publicRooms = publicRooms;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = line.words();
    int index = line.wordIndex();
    String word = line.word() == null ? "" : line.word();
    String first = words.isEmpty() ? "" : words.get(0);

    if (index == 0 && word.startsWith("/")) {
      for (SlashCommand c : SlashCommand.all()) {
        candidates.add(new Candidate(c.word(), c.word(), null, c.help, null, null, true));
      }
      return;
    }
    if (word.startsWith("@")) {
      users(candidates, "@");
      return;
    }
    SlashCommand cmd = first.startsWith("/") ? SlashCommand.find(first) : null;
    if (cmd == null) {
      if (!first.startsWith("/")) {
        users(candidates, ""); // nick completion in a message
      }
      return;
    }
    if (index == 1) {
      switch (cmd.arg) {
        case ROOM:
          rooms(candidates, true);
          break;
        case MY_ROOM:
          rooms(candidates, false);
          break;
        case USER:
          users(candidates, "");
          break;
        case COMMAND:
          for (SlashCommand c : SlashCommand.all()) {
            candidates.add(new Candidate(c.word().substring(1)));
          }
          break;
        default:
          break;
      }
    } else if (index == 2 && (cmd == SlashCommand.INVITE || cmd == SlashCommand.KICK)) {
      rooms(candidates, false);
    } else if (index >= 2 && cmd == SlashCommand.CREATE) {
      if (index == 2) {
        candidates.add(new Candidate("public"));
        candidates.add(new Candidate("private"));
      }
      users(candidates, "");
    }
  }

  private void rooms(List<Candidate> candidates, boolean withPublic) {
    Set<String> seen = new LinkedHashSet<>(book.labels());
    if (withPublic) {
      for (RoomSummary s : publicRooms.get()) {
        seen.add("#" + Sanitizer.line(s.room().name()).replace(' ', '_'));
      }
    }
    for (String label : seen) {
      candidates.add(new Candidate(label, label, "rooms", null, null, null, true));
    }
  }

  private void users(List<Candidate> candidates, String prefix) {
    for (String name : book.usernames()) {
      candidates.add(new Candidate(prefix + name, prefix + name, "users", null, null, null, true));
    }
  }
}
