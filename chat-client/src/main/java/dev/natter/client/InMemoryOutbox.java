package dev.natter.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The default {@link Outbox}: insertion-ordered, in memory. */
class InMemoryOutbox implements Outbox {
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  @Override
  public synchronized void add(Entry entry) {
    entries.put(entry.clientMsgId(), entry);
  }

  @Override
  public synchronized void remove(String clientMsgId) {
    entries.remove(clientMsgId);
  }

  @Override
  public synchronized List<Entry> entries() {
    return List.copyOf(new ArrayList<>(entries.values()));
  }
}
