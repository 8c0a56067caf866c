package dev.natter.core.store.memory;

import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One message row of the in-memory store. Mutable, and only ever touched under the store's lock;
 * callers only see the immutable {@link Message} made by {@link #snapshot()}.
 */
final class StoredMessage {
  final String roomId;
  final long seq;
  final String messageId;
  final User sender;
  final String clientMsgId;
  final Instant ts;
  final String replyTo;
  String body;
  Instant editedAt;
  boolean deleted;

  /** Emoji to the users who reacted with it, both in the order the reactions arrived. */
  final Map<String, Set<String>> reactions = new LinkedHashMap<>();

  /** The files sent with it, in order; removed from the store when it is deleted. */
  final List<FileInfo> files = new ArrayList<>();

  StoredMessage(
      String roomId,
      long seq,
      String messageId,
      User sender,
      String clientMsgId,
      String body,
      String replyTo,
      Instant ts) {
    this.roomId = roomId;
    this.seq = seq;
    this.messageId = messageId;
    this.sender = sender;
    this.clientMsgId = clientMsgId;
    this.body = body;
    this.replyTo = replyTo;
    this.ts = ts;
  }

  /** Adds or removes one reaction; an emoji nobody reacts with any more disappears. */
  void react(String userId, String emoji, boolean on) {
    if (on) {
      reactions.computeIfAbsent(emoji, e -> new LinkedHashSet<>()).add(userId);
    } else {
      Set<String> users = reactions.get(emoji);
      if (users != null && users.remove(userId) && users.isEmpty()) {
        reactions.remove(emoji);
      }
    }
  }

  void markDeleted() {
    deleted = true;
    body = "";
    reactions.clear();
    files.clear();
  }

  Message snapshot() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    reactions.forEach((emoji, users) -> copy.put(emoji, new ArrayList<>(users)));
    return new Message(
        roomId,
        seq,
        messageId,
        sender,
        body,
        ts,
        replyTo,
        editedAt,
        deleted,
        copy,
        List.copyOf(files),
        null);
  }
}
