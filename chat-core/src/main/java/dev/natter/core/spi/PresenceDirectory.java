package dev.natter.core.spi;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is online across the nodes of a cluster: a user is online while any node holds a connection
 * of theirs. The engine tells its directory when a user's first connection on this node opens and
 * when the last one closes, asks it who is online, and claims each change before telling the user's
 * contacts, so that a change is told once however many nodes see it.
 *
 * <p>Without one the engine counts this node's connections only (one node). A directory for a
 * cluster (such as Redis's) must stop counting a node that died within a short time, without anyone
 * cleaning up after it, and call the {@link #onChange} listener of a live node for the users whose
 * status that changed.
 */
public interface PresenceDirectory extends AutoCloseable {

  /**
   * This node now holds a connection of the user (its first one here).
   *
   * @param userId the user
   */
  void connected(String userId);

  /**
   * This node holds no connection of the user any more (its last one here closed).
   *
   * @param userId the user
   */
  void disconnected(String userId);

  /**
   * Whether any node holds a connection of the user.
   *
   * @param userId the user
   * @return true while the user is online somewhere
   */
  boolean isOnline(String userId);

  /**
   * Those of the given users who are online somewhere, in one call (a new connection's snapshot of
   * its contacts).
   *
   * @param userIds the users to look up
   * @return the online ones among them
   */
  Set<String> onlineAmong(Collection<String> userIds);

  /**
   * Compares the user's status now with the one their contacts were last told, anywhere, and
   * records the new one as told when it differs, in one step: of several nodes claiming the same
   * change, one gets it.
   *
   * @param userId the user
   * @return the status to tell (true: online), or empty when the contacts know it already
   */
  Optional<Boolean> claimChange(String userId);

  /**
   * Sets the listener for users whose status may have changed without a connection of this node
   * opening or closing (a node that died stopped counting). The engine then claims and tells the
   * change. A directory for one node never calls it.
   *
   * @param listener receives user ids, on any thread; must not block
   */
  void onChange(Consumer<String> listener);

  /** Stops counting this node's connections. The default does nothing. */
  @Override
  default void close() {}
}
