package dev.natter.core.model;

import java.time.Instant;

/** One user's place in one room: role and read marker (the highest seq they have read). */
public record Membership(
    String roomId, String userId, Role role, long lastReadSeq, Instant joinedAt) {}
