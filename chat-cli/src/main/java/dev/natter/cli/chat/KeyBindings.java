package dev.natter.cli.chat;

import java.util.List;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;

/**
 * How the line reader behaves: no quoting or history expansion (a message is text), Tab completion,
 * Alt-A and Ctrl-N for the next room with unread messages, and the typing indicator on every key.
 */
final class KeyBindings {
  private static final String NEXT_UNREAD = "natter-next-unread";

  private KeyBindings() {}

  static void install(
      NatterReader reader,
      ChatCompleter completer,
      CurrentRoom currentRoom,
      Screen screen,
      TypingIndicator typing) {
    DefaultParser parser = new DefaultParser();
    parser.setQuoteChars(new char[0]);
    parser.setEscapeChars(new char[0]);
    reader.setParser(parser);
    reader.setCompleter(completer);
    reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
    reader.setOpt(LineReader.Option.CASE_INSENSITIVE);
    reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH); // what was sent comes back as a message
    reader.unsetOpt(LineReader.Option.INSERT_TAB);
    reader.setVariable(LineReader.HISTORY_SIZE, 500);
    reader.setVariable(LineReader.ERRORS, 0);

    Widget next =
        () -> {
          if (currentRoom.nextUnread()) {
            screen.redrawPrompt();
          }
          return true;
        };
    reader.getWidgets().put(NEXT_UNREAD, next);
    KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
    main.bind(new Reference(NEXT_UNREAD), KeyMap.alt('a'));
    main.bind(new Reference(NEXT_UNREAD), KeyMap.ctrl('N'));
    for (String name : List.of(LineReader.EMACS, LineReader.VIINS)) {
      KeyMap<Binding> km = reader.getKeyMaps().get(name);
      if (km != null) {
        km.bind(new Reference(NEXT_UNREAD), KeyMap.alt('a'));
        km.bind(new Reference(NEXT_UNREAD), KeyMap.ctrl('N'));
      }
    }

    Widget selfInsert = reader.getBuiltinWidgets().get(LineReader.SELF_INSERT);
    reader
        .getWidgets()
        .put(
            LineReader.SELF_INSERT,
            () -> {
              boolean r = selfInsert.apply();
              typing.keyTyped(reader.getBuffer().toString());
              return r;
            });
  }
}
