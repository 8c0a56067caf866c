package dev.natter.store.postgres;

/**
 * The names migrations V1 and V3 give the constraints a caller can break, one place for all:
 * PostgreSQL reports the broken one's name with SQLState 23505 (unique) or 23503 (foreign key), and
 * the role classes turn each into its {@link dev.natter.core.spi.StoreErrors} failure.
 */
final class Constraints {
  static final String USER_ID = "users_pkey";
  static final String USERNAME = "users_username_key";
  static final String SESSION_ID = "sessions_pkey";
  static final String SESSION_USER = "sessions_user_id_fkey";
  static final String ROOM_ID = "rooms_pkey";
  static final String DM_PAIR = "rooms_dm_key_key";
  static final String MEMBER_USER = "memberships_user_id_fkey";
  static final String MESSAGE_ID = "messages_message_id_key";
  static final String CLIENT_MSG_ID = "messages_sender_client_msg_key";
  static final String MESSAGE_SENDER = "messages_sender_id_fkey";
  static final String REACTING_USER = "reactions_user_id_fkey";
  static final String MENTIONED_USER = "message_mentions_user_id_fkey";

  private Constraints() {}
}
