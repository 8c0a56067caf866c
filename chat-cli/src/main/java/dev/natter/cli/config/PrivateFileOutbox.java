package dev.natter.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.client.Outbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminal client's {@link Outbox}: messages typed but not acknowledged by the server, in a
 * file of JSON lines next to the config file, readable by its owner only (0600), rewritten
 * atomically on every change. A message typed while offline therefore survives quitting the client,
 * and the next run sends it with its original {@code clientMsgId} (the server stores it once).
 */
public final class PrivateFileOutbox implements Outbox {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public PrivateFileOutbox(Path path) {
    this.path = path.toAbsolutePath();
    try {
      for (String line : Files.readAllLines(this.path, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          Entry e = JSON.readValue(line, Entry.class);
          entries.put(e.clientMsgId(), e);
        }
      }
    } catch (NoSuchFileException e) {
      // nothing pending
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the outbox " + this.path, e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void add(Entry entry) {
    entries.remove(entry.clientMsgId());
    entries.put(entry.clientMsgId(), entry);
    write();
  }

  @Override
  public synchronized void remove(String clientMsgId) {
    if (entries.remove(clientMsgId) != null) {
      write();
    }
  }

  @Override
  public synchronized List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** Forgets every pending message (when another user logs in). */
  public synchronized void clear() {
    entries.clear();
    write();
  }

  private void write() {
    try {
      if (entries.isEmpty()) {
        Files.deleteIfExists(path);
        return;
      }
      StringBuilder sb = new StringBuilder();
      for (Entry e : entries.values()) {
        sb.append(JSON.writeValueAsString(e)).append('\n');
      }
      SecureFiles.write(path, sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the outbox " + path, e);
    }
  }
}
