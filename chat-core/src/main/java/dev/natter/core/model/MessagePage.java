package dev.natter.core.model;

import java.util.List;

/**
 * A page of a room's messages in seq order, and whether more exist beyond it.
 *
 * @param messages the messages, in seq order
 * @param hasMore whether more messages lie beyond the page
 */
public record MessagePage(List<Message> messages, boolean hasMore) {
  /**
   * Copies the list.
   *
   * @param messages the messages, in seq order
   * @param hasMore whether more messages lie beyond the page
   */
  public MessagePage {
    messages = List.copyOf(messages);
  }
}
