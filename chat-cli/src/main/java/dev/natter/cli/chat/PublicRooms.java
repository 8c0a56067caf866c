package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.client.ChatClient;
import dev.natter.core.model.RoomSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The public rooms the user could join, as last loaded: for /rooms, /join and Tab completion. */
final class PublicRooms {
  private final List<RoomSummary> rooms = new CopyOnWriteArrayList<>();

  List<RoomSummary> list() {
    return rooms;
  }

  /**
   * The list, loaded first when it is still empty (Tab pressed before the load that follows {@code
   * ready} finished, or every room already joined: then it asks the server again).
   */
  List<RoomSummary> listOrLoad(ChatClient client) {
    if (rooms.isEmpty() && client != null) {
      load(client);
    }
    return rooms;
  }

  /** Loads the list again; on failure keeps what it had (it only serves completion). */
  void load(ChatClient client) {
    try {
      replace(Account.await(client.publicRooms()));
    } catch (RuntimeException e) {
      // completion only: keep what we had
    }
  }

  /** Loads the list again and finds a room by id, name, or name with '_' for spaces. */
  Optional<RoomSummary> find(ChatClient client, String wanted) {
    replace(Account.await(client.publicRooms()));
    for (RoomSummary s : rooms) {
      if (s.room().id().equals(wanted)
          || s.room().name().equalsIgnoreCase(wanted)
          || s.room().name().replace(' ', '_').equalsIgnoreCase(wanted)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** A room I am a member of now is no longer one to join. */
  void remove(String roomId) {
    rooms.removeIf(r -> r.room().id().equals(roomId));
  }

  private void replace(List<RoomSummary> list) {
    rooms.clear();
    rooms.addAll(list);
  }
}
