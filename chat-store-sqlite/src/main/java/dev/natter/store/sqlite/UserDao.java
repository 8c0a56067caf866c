package dev.natter.store.sqlite;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users and their sessions. */
interface UserDao {
  @SqlUpdate(
      "INSERT INTO users (id, username, display_name, password_hash, created_at)"
          + " VALUES (:id, :username, :displayName, :hash, :createdAt)")
  void insert(
      @Bind("id") String id,
      @Bind("username") String username,
      @Bind("displayName") String displayName,
      @Bind("hash") String passwordHash,
      @Bind("createdAt") long createdAt);

  /** The username column is COLLATE NOCASE, so {@code =} ignores case here. */
  @SqlQuery(
      "SELECT " + Rows.USER_COLUMNS + ", u.password_hash FROM users u WHERE u.username = :name")
  Optional<Credentials> findCredentials(@Bind("name") String username);

  @SqlQuery("SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id = :id")
  Optional<User> find(@Bind("id") String id);

  @SqlQuery("SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id IN (<ids>)")
  List<User> findAll(@BindList("ids") Collection<String> ids);

  @SqlUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
  int updatePasswordHash(@Bind("id") String id, @Bind("hash") String passwordHash);

  /** {@code pattern} is a LIKE pattern escaped with {@code !}; LIKE ignores ASCII case. */
  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + " FROM users u"
          + " WHERE u.username LIKE :pattern ESCAPE '!' OR u.display_name LIKE :pattern ESCAPE '!'"
          + " ORDER BY u.username COLLATE NOCASE, u.username COLLATE BINARY, u.id"
          + " LIMIT :limit")
  List<User> search(@Bind("pattern") String pattern, @Bind("limit") int limit);

  @SqlUpdate("UPDATE users SET last_seen = :lastSeen WHERE id = :id")
  int updateLastSeen(@Bind("id") String id, @Bind("lastSeen") long lastSeen);

  @SqlQuery("SELECT last_seen FROM users WHERE id = :id AND last_seen IS NOT NULL")
  Optional<Long> lastSeen(@Bind("id") String id);

  @SqlQuery("SELECT id, last_seen FROM users WHERE id IN (<ids>) AND last_seen IS NOT NULL")
  @KeyColumn("id")
  @ValueColumn("last_seen")
  Map<String, Long> lastSeenAll(@BindList("ids") Collection<String> ids);

  // ---- sessions

  @SqlUpdate(
      "INSERT INTO sessions (id, user_id, created_at, expires_at)"
          + " VALUES (:id, :userId, :createdAt, :expiresAt)")
  void insertSession(
      @Bind("id") String id,
      @Bind("userId") String userId,
      @Bind("createdAt") long createdAt,
      @Bind("expiresAt") long expiresAt);

  @SqlQuery("SELECT id, user_id, created_at, expires_at FROM sessions WHERE id = :id")
  Optional<AuthSession> findSession(@Bind("id") String id);

  @SqlUpdate("DELETE FROM sessions WHERE id = :id")
  int deleteSession(@Bind("id") String id);

  @SqlQuery("DELETE FROM sessions WHERE user_id = :userId RETURNING id")
  List<String> deleteSessionsOf(@Bind("userId") String userId);
}
