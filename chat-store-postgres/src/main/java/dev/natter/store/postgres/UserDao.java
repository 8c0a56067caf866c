package dev.natter.store.postgres;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users: accounts, password hashes and last seen. */
interface UserDao {
  /** Usernames in order ignoring case, then exactly (code point order), then by id. */
  String BY_USERNAME = " ORDER BY lower(u.username), u.username COLLATE \"C\", u.id";

  /**
   * A taken id breaks {@code users_pkey}, a username taken in any case {@code users_username_key}.
   */
  @SqlUpdate(
      "INSERT INTO users (id, username, display_name, password_hash, created_at)"
          + " VALUES (:id, :username, :displayName, :hash, :createdAt)")
  void insert(
      @Bind("id") String id,
      @Bind("username") String username,
      @Bind("displayName") String displayName,
      @Bind("hash") String passwordHash,
      @Bind("createdAt") long createdAt);

  /** Through the unique index on {@code lower(username)}. */
  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + ", u.password_hash FROM users u WHERE lower(u.username) = lower(:name)")
  Optional<Credentials> findCredentials(@Bind("name") String username);

  @SqlQuery("SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id = :id")
  Optional<User> find(@Bind("id") String id);

  /** One array parameter, whatever the number of ids. */
  @SqlQuery("SELECT " + Rows.USER_COLUMNS + " FROM users u WHERE u.id = ANY(:ids)")
  List<User> findAll(@Bind("ids") String[] ids);

  @SqlUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
  int updatePasswordHash(@Bind("id") String id, @Bind("hash") String passwordHash);

  /** {@code pattern} is an ILIKE pattern escaped with {@code !}. */
  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + " FROM users u"
          + " WHERE u.username ILIKE :pattern ESCAPE '!' OR u.display_name ILIKE :pattern ESCAPE '!'"
          + BY_USERNAME
          + " LIMIT :limit")
  List<User> search(@Bind("pattern") String pattern, @Bind("limit") int limit);

  @SqlUpdate("UPDATE users SET last_seen = :lastSeen WHERE id = :id")
  int updateLastSeen(@Bind("id") String id, @Bind("lastSeen") long lastSeen);

  @SqlQuery("SELECT last_seen FROM users WHERE id = :id AND last_seen IS NOT NULL")
  Optional<Long> lastSeen(@Bind("id") String id);
}
