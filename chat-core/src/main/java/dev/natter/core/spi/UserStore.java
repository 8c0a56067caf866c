package dev.natter.core.spi;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts a store keeps: users with their password hashes, and when each was last online. Part
 * of {@link ChatStore}; failures are reported as {@link StoreErrors} describes.
 */
public interface UserStore {

  /**
   * Creates a user. Usernames are unique ignoring case, and so are ids.
   *
   * @param user the account: id, username and display name
   * @param passwordHash the password hash to store, with its parameters (never the password)
   * @param createdAt when the account was created
   * @throws dev.natter.core.ChatException.Conflict if the id is taken ({@link
   *     StoreErrors#userIdTaken()}) or the username is taken ignoring case ({@link
   *     StoreErrors#usernameTaken()})
   */
  void createUser(User user, String passwordHash, Instant createdAt);

  /**
   * Finds a user by username, ignoring case, with the stored password hash.
   *
   * @param username the username as typed at login
   * @return the user and their password hash, or empty if there is no such user
   */
  Optional<Credentials> findCredentials(String username);

  /**
   * Finds a user by id.
   *
   * @param userId the user's id
   * @return the user, or empty if there is no such user
   */
  Optional<User> findUser(String userId);

  /**
   * Finds several users at once, for the engine's batch look-ups (a connection's contacts). The
   * default calls {@link #findUser} once per distinct id; a store that can should override it with
   * one query.
   *
   * @param userIds the ids to look up; duplicates and unknown ids are allowed
   * @return the users among {@code userIds} that exist, each once, in no particular order; empty
   *     for an empty collection
   */
  default List<User> findUsers(Collection<String> userIds) {
    List<User> found = new ArrayList<>();
    for (String userId : new LinkedHashSet<>(userIds)) {
      findUser(userId).ifPresent(found::add);
    }
    return found;
  }

  /**
   * Replaces a user's password hash.
   *
   * @param userId the user's id
   * @param passwordHash the new hash
   * @return true if the user exists (and now has the new hash), false if there is no such user
   */
  boolean updatePasswordHash(String userId, String passwordHash);

  /**
   * Finds users by part of their name.
   *
   * @param query text that the username or the display name must contain, ignoring case
   * @param limit the most users to return
   * @return the matching users ordered by username, at most {@code limit}
   */
  List<User> searchUsers(String query, int limit);

  /**
   * Records when a user was last online. Does nothing for an unknown user.
   *
   * @param userId the user's id
   * @param lastSeen when they were last seen
   */
  void updateLastSeen(String userId, Instant lastSeen);

  /**
   * When a user was last online.
   *
   * @param userId the user's id
   * @return the instant last recorded by {@link #updateLastSeen}, or empty if never recorded (or no
   *     such user)
   */
  Optional<Instant> lastSeen(String userId);

  /**
   * When several users were last online, for the engine's batch look-up (a new connection's
   * presence snapshot of its contacts). The default calls {@link #lastSeen(String)} once per
   * distinct id; a store that can should override it with one query.
   *
   * @param userIds the ids to look up; duplicates and unknown ids are allowed
   * @return the last-seen instant of each user among {@code userIds} that has one recorded (users
   *     never seen, and unknown ids, are absent); empty for an empty collection
   */
  default Map<String, Instant> lastSeen(Collection<String> userIds) {
    Map<String, Instant> found = new HashMap<>();
    for (String userId : new LinkedHashSet<>(userIds)) {
      lastSeen(userId).ifPresent(t -> found.put(userId, t));
    }
    return found;
  }
}
