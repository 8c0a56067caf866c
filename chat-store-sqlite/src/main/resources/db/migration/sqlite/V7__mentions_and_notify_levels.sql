-- Schema version 7: mentions and notification levels (protocol v1.1).
-- (V6 belongs to file attachments; Flyway applies whatever versions exist, in order.)
--
-- Each member's notification level for the room, kept with the membership: 'all' by default.
ALTER TABLE memberships ADD COLUMN notify TEXT NOT NULL DEFAULT 'all'
  CHECK (notify IN ('all', 'mentions', 'none'));

-- The members a message mentions, one row each, stored in the transaction that stores (or edits)
-- the message; pos keeps the order of the first mentions. room_id and seq are copied from the
-- message so that counting a member's unread mentions in a room is one range scan of
-- message_mentions_unread. A deleted message has no rows here.
CREATE TABLE message_mentions (
  message_rowid INTEGER NOT NULL REFERENCES messages (id),
  user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  room_id       TEXT    NOT NULL,
  seq           INTEGER NOT NULL,
  pos           INTEGER NOT NULL,
  PRIMARY KEY (message_rowid, user_id)
) WITHOUT ROWID;
CREATE INDEX message_mentions_unread ON message_mentions (user_id, room_id, seq);
