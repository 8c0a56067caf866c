package dev.natter.core;

import dev.natter.core.spi.PresenceDirectory;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The presence of one node: online while this node holds a connection. It remembers the users whose
 * contacts were told "online" (the others were told "offline", or nothing yet).
 */
final class LocalPresence implements PresenceDirectory {
  private final Predicate<String> connectedHere;
  private final Set<String> toldOnline = ConcurrentHashMap.newKeySet();

  LocalPresence(Predicate<String> connectedHere) {
    this.connectedHere = connectedHere;
  }

  @Override
  public void connected(String userId) {}

  @Override
  public void disconnected(String userId) {}

  @Override
  public boolean isOnline(String userId) {
    return connectedHere.test(userId);
  }

  @Override
  public Set<String> onlineAmong(Collection<String> userIds) {
    Set<String> online = new HashSet<>();
    for (String id : userIds) {
      if (connectedHere.test(id)) {
        online.add(id);
      }
    }
    return online;
  }

  @Override
  public Optional<Boolean> claimChange(String userId) {
    if (connectedHere.test(userId)) {
      return toldOnline.add(userId) ? Optional.of(true) : Optional.empty();
    }
    return toldOnline.remove(userId) ? Optional.of(false) : Optional.empty();
  }

  @Override
  public void onChange(Consumer<String> listener) {}
}
