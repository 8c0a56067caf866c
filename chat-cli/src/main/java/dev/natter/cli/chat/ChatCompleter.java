package dev.natter.cli.chat;

import dev.natter.cli.term.Sanitizer;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names after a leading {@code /}, room labels and public room names for
 * {@code /join}, usernames for {@code /dm}, {@code /msg}, {@code /invite} and {@code /kick}, file
 * names for {@code /upload}, levels for {@code /notify} and {@code /bell}; in a message, {@code @}
 * completes the members of the current room (and {@code @room}).
 */
final class ChatCompleter implements Completer {
  private final RoomBook book;
  private final Supplier<List<RoomSummary>> publicRooms;
  private final Completer files;

  ChatCompleter(RoomBook book, Supplier<List<RoomSummary>> publicRooms, Path workingDirectory) {
    this.book = book;
    this.publicRooms = publicRooms;
    this.files = new Completers.FilesCompleter(() -> workingDirectory);
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
    SlashCommand cmd = first.startsWith("/") ? SlashCommand.find(first) : null;
    if (word.startsWith("@")) {
      if (cmd == null || cmd == SlashCommand.MSG && index >= 2 || cmd == SlashCommand.ME) {
        members(candidates); // a mention in a message
      } else {
        users(candidates, "@");
      }
      return;
    }
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
        case FILE:
          files.complete(reader, line, candidates);
          break;
        case NOTIFY_LEVEL:
          for (NotifyLevel level : NotifyLevel.values()) {
            candidates.add(new Candidate(level.wireName()));
          }
          break;
        case BELL:
          for (Bell.Setting setting : Bell.Setting.values()) {
            candidates.add(new Candidate(setting.word()));
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

  /** {@code @name} for each member of the current room but me, and {@code @room}. */
  private void members(List<Candidate> candidates) {
    String current = book.current();
    if (current == null) {
      return;
    }
    for (String name : book.memberNames(current)) {
      candidates.add(new Candidate("@" + name, "@" + name, "members", null, null, null, true));
    }
    candidates.add(
        new Candidate("@room", "@room", "members", "everyone in the room", null, null, true));
  }

  private void users(List<Candidate> candidates, String prefix) {
    for (String name : book.usernames()) {
      candidates.add(new Candidate(prefix + name, prefix + name, "users", null, null, null, true));
    }
  }
}
