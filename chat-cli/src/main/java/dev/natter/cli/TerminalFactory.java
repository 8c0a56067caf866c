package dev.natter.cli;

import java.io.IOException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Opens the terminal {@code natter chat} runs in; tests hand in a JLine terminal over pipes. */
@FunctionalInterface
public interface TerminalFactory {
  Terminal open() throws IOException;

  /** The process's real terminal. */
  static TerminalFactory system() {
    return () -> TerminalBuilder.builder().name("natter").system(true).build();
  }
}
