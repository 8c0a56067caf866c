package dev.natter.core.model;

import java.time.Instant;

/**
 * A login session. Only the SHA-256 hash of its token is stored; {@code id} is that hash in hex.
 *
 * @param id the SHA-256 of the session's token, in hex
 * @param userId whose session it is
 * @param createdAt when it began
 * @param expiresAt when it ends, unless revoked before
 */
public record AuthSession(String id, String userId, Instant createdAt, Instant expiresAt) {
  /**
   * Whether the session has ended by time.
   *
   * @param now the current time
   * @return true from {@code expiresAt} on
   */
  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
