package dev.natter.core.model;

import java.util.List;

/** A page of a room's messages in seq order, and whether more exist beyond it. */
public record MessagePage(List<Message> messages, boolean hasMore) {
  public MessagePage {
    messages = List.copyOf(messages);
  }
}
