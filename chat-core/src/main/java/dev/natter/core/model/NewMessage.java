package dev.natter.core.model;

import java.time.Instant;

/** What the engine asks a store to append: the store assigns the seq in its commit. */
public record NewMessage(
    String room,
    String messageId,
    User sender,
    String clientMsgId,
    String body,
    String replyTo,
    Instant ts) {}
