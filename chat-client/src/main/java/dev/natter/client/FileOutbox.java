package dev.natter.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** An {@link Outbox} in a file of JSON lines, rewritten (temp file, then move) on every change. */
final class FileOutbox extends InMemoryOutbox {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;

  FileOutbox(Path path) {
    this.path = path.toAbsolutePath();
    if (Files.exists(this.path)) {
      try {
        for (String line : Files.readAllLines(this.path, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            super.add(JSON.readValue(line, Entry.class));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the outbox " + this.path, e);
      }
    }
  }

  @Override
  public synchronized void add(Entry entry) {
    super.add(entry);
    write();
  }

  @Override
  public synchronized void remove(String clientMsgId) {
    int before = super.entries().size();
    super.remove(clientMsgId);
    if (super.entries().size() != before) {
      write();
    }
  }

  private void write() {
    List<String> lines = new ArrayList<>();
    try {
      for (Entry e : super.entries()) {
        lines.add(JSON.writeValueAsString(e));
      }
      Path dir = path.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the outbox " + path, e);
    }
  }
}
