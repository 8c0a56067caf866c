package dev.natter.core.model;

/**
 * The outcome of appending a message: the stored message, and whether it was already stored under
 * the same {@code (sender, clientMsgId)} (a resend), in which case nothing new was created.
 */
public record AppendResult(Message message, boolean duplicate) {}
