package dev.natter.core.spi;

import dev.natter.core.model.Room;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ComposedChatStore} that can also move everything out and in ({@link StoreTransfer}): the
 * transfer methods forward to one more role object. The stores Natter ships extend this.
 */
public abstract class ComposedTransferStore extends ComposedChatStore implements StoreTransfer {
  private final StoreTransfer transfer;

  /**
   * A store whose every method is answered by one of these roles.
   *
   * @param users accounts, credentials and last-seen times
   * @param sessions sign-in sessions
   * @param rooms rooms and direct messages
   * @param memberships who is in which room, roles and read markers
   * @param messages appending, changing and paging messages
   * @param search full-text search over messages
   * @param transfer export and import
   */
  protected ComposedTransferStore(
      UserStore users,
      SessionStore sessions,
      RoomStore rooms,
      MembershipStore memberships,
      MessageStore messages,
      MessageSearch search,
      StoreTransfer transfer) {
    super(users, sessions, rooms, memberships, messages, search);
    this.transfer = Objects.requireNonNull(transfer, "transfer");
  }

  /**
   * A store whose every method is answered by one of these roles, files included.
   *
   * @param users accounts, credentials and last-seen times
   * @param sessions sign-in sessions
   * @param rooms rooms and direct messages
   * @param memberships who is in which room, roles and read markers
   * @param messages appending, changing and paging messages
   * @param search full-text search over messages
   * @param files the metadata of uploaded files
   * @param transfer export and import
   */
  protected ComposedTransferStore(
      UserStore users,
      SessionStore sessions,
      RoomStore rooms,
      MembershipStore memberships,
      MessageStore messages,
      MessageSearch search,
      FileStore files,
      StoreTransfer transfer) {
    super(users, sessions, rooms, memberships, messages, search, files);
    this.transfer = Objects.requireNonNull(transfer, "transfer");
  }

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    return transfer.exportUsers(afterUserId, limit);
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    return transfer.exportRooms(afterRoomId, limit);
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    return transfer.exportMessages(roomId, afterSeq, limit);
  }

  @Override
  public void importMessages(List<ExportedMessage> messages) {
    transfer.importMessages(messages);
  }
}
