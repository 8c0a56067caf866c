package dev.natter.cli.chat;

import java.io.IOException;
import java.util.function.Supplier;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/** A JLine line reader that lets other threads update the screen under the reader's own lock. */
final class NatterReader extends LineReaderImpl {
  NatterReader(Terminal terminal) throws IOException {
    super(terminal, "natter");
  }

  /** Runs {@code action} while holding the lock the reader redraws under. */
  void locked(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
