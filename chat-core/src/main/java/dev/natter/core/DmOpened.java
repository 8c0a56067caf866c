package dev.natter.core;

import dev.natter.core.model.RoomSummary;
import java.util.Objects;

/**
 * The direct-message room between two users, as {@link ChatEngine#openDm} finds or creates it.
 *
 * @param room the DM as the caller sees it (named after the other user)
 * @param created whether this call created the DM (false when it existed already)
 */
public record DmOpened(RoomSummary room, boolean created) {
  /**
   * Checks that the room is present.
   *
   * @param room the DM as the caller sees it
   * @param created whether this call created it
   * @throws NullPointerException if {@code room} is null
   */
  public DmOpened {
    Objects.requireNonNull(room, "room");
  }

  /**
   * The DM's room id, to send to or listen on.
   *
   * @return {@code room().room().id()}
   */
  public String roomId() {
    return room.room().id();
  }
}
