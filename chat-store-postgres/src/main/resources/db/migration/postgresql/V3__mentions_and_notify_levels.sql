-- Schema version 3: mentions and notification levels (protocol v1.1).
-- (V2 belongs to file attachments; Flyway applies whatever versions exist, in order.)
--
-- Each member's notification level for the room, kept with the membership: 'all' by default.
ALTER TABLE memberships ADD COLUMN notify text NOT NULL DEFAULT 'all'
  CONSTRAINT memberships_notify_check CHECK (notify IN ('all', 'mentions', 'none'));

-- The members a message mentions, one row each, stored in the statement that stores the message
-- (or the transaction that edits it); pos keeps the order of the first mentions. room_id and seq
-- are copied from the message so that counting a member's unread mentions in a room is one range
-- scan of message_mentions_unread. A deleted message has no rows here.
CREATE TABLE message_mentions (
  message_pk bigint           NOT NULL,
  user_id    text COLLATE "C" NOT NULL,
  room_id    text COLLATE "C" NOT NULL,
  seq        bigint           NOT NULL,
  pos        integer          NOT NULL,
  CONSTRAINT message_mentions_pkey PRIMARY KEY (message_pk, user_id),
  CONSTRAINT message_mentions_message_pk_fkey FOREIGN KEY (message_pk) REFERENCES messages (id),
  CONSTRAINT message_mentions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX message_mentions_unread ON message_mentions (user_id, room_id, seq);
