package dev.natter.store.postgres;

import dev.natter.core.model.AuthSession;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Sign-in sessions, by the hash of their token. */
interface SessionDao {
  /** A taken id breaks {@code sessions_pkey}, a missing user {@code sessions_user_id_fkey}. */
  @SqlUpdate(
      "INSERT INTO sessions (id, user_id, created_at, expires_at)"
          + " VALUES (:id, :userId, :createdAt, :expiresAt)")
  void insert(
      @Bind("id") String id,
      @Bind("userId") String userId,
      @Bind("createdAt") long createdAt,
      @Bind("expiresAt") long expiresAt);

  @SqlQuery("SELECT id, user_id, created_at, expires_at FROM sessions WHERE id = :id")
  Optional<AuthSession> find(@Bind("id") String id);

  @SqlUpdate("DELETE FROM sessions WHERE id = :id")
  int delete(@Bind("id") String id);

  @SqlQuery("DELETE FROM sessions WHERE user_id = :userId RETURNING id")
  List<String> deleteAllOf(@Bind("userId") String userId);
}
