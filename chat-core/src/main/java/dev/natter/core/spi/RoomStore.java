package dev.natter.core.spi;

import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomSummary;
import java.util.List;
import java.util.Optional;

/**
 * The rooms a store keeps: groups and direct messages, and each room as one of its members sees it
 * (a {@link RoomSummary}). Who belongs to a room is {@link MembershipStore}'s part. Part of {@link
 * ChatStore}; failures are reported as {@link StoreErrors} describes.
 */
public interface RoomStore {

  /**
   * Creates a room with its first members in one transaction: all of it is stored, or nothing. Each
   * member's {@code joinedAt} is the room's {@code createdAt} and their read marker 0.
   *
   * @param newRoom the room and its first members with their roles (may be none)
   * @throws dev.natter.core.ChatException.Conflict if a room with this id exists ({@link
   *     StoreErrors#roomIdTaken()}), or it is a direct message whose pair already has one ({@link
   *     StoreErrors#directMessageExists()})
   * @throws dev.natter.core.ChatException.NotFound if a member does not exist ({@link
   *     StoreErrors#noSuchUser()})
   */
  void createRoom(NewRoom newRoom);

  /**
   * Finds the direct message with {@code newRoom.room().dmKey()}, or creates it with the given
   * members, in one transaction: concurrent callers for the same pair get the same room.
   *
   * @param newRoom the direct message to create if the pair has none yet
   * @return the direct message that exists now, and whether this call created it
   * @throws dev.natter.core.ChatException.BadRequest if the room is not a direct message ({@link
   *     StoreErrors#notADirectMessage()})
   * @throws dev.natter.core.ChatException.NotFound if it had to be created and a member does not
   *     exist ({@link StoreErrors#noSuchUser()})
   */
  DmResult findOrCreateDm(NewRoom newRoom);

  /**
   * The outcome of {@link #findOrCreateDm}.
   *
   * @param room the direct message between the pair
   * @param created true if this call created it, false if it existed
   */
  record DmResult(Room room, boolean created) {}

  /**
   * Finds a room by id.
   *
   * @param roomId the room's id
   * @return the room, or empty if there is no such room
   */
  Optional<Room> findRoom(String roomId);

  /**
   * Every room a user is a member of, as they see it.
   *
   * @param userId the member
   * @return their rooms' summaries, most recently active first (by the last message's ts, else the
   *     room's creation)
   */
  List<RoomSummary> roomSummaries(String userId);

  /**
   * One room as a member sees it: members, their role, last message, unread count (others' live
   * messages after their read marker), read marker, mentions (the unread messages that mention
   * them) and their notification level.
   *
   * @param roomId the room's id
   * @param userId the member
   * @return the summary, or empty if there is no such room or the user is not a member
   */
  Optional<RoomSummary> roomSummary(String roomId, String userId);

  /**
   * The public group rooms a user could join.
   *
   * @param userId the user
   * @return the public groups they are not a member of, ordered by name; in these summaries {@code
   *     myRole} is null, {@code unread}, {@code mentions} and {@code lastReadSeq} are 0 and the
   *     level is {@link dev.natter.core.model.NotifyLevel#ALL}
   */
  List<RoomSummary> publicRoomsNotJoinedBy(String userId);
}
