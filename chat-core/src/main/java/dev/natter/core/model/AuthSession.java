package dev.natter.core.model;

import java.time.Instant;

/**
 * A login session. Only the SHA-256 hash of its token is stored; {@code id} is that hash in hex.
 */
public record AuthSession(String id, String userId, Instant createdAt, Instant expiresAt) {
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
