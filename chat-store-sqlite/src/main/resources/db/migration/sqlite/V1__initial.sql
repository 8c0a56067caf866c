-- Natter on SQLite, schema version 1: accounts, rooms, memberships, messages, reactions.
-- Times are INTEGER nanoseconds since the epoch (lossless for java.time.Instant in 1677..2262).
-- The invariants the product promises are constraints here, not only checks in Java.

CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  username      TEXT    NOT NULL COLLATE NOCASE,
  display_name  TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  last_seen     INTEGER,
  CONSTRAINT users_username_unique UNIQUE (username)
);

CREATE TABLE sessions (
  id         TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- last_seq is the per-room counter: append reads and bumps it in the transaction that stores
-- the message, so seq is gapless and assigned in the commit.
CREATE TABLE rooms (
  id         TEXT    NOT NULL PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('dm', 'group')),
  name       TEXT    NOT NULL,
  visibility TEXT    NOT NULL CHECK (visibility IN ('public', 'private')),
  dm_key     TEXT,
  created_at INTEGER NOT NULL,
  last_seq   INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  CONSTRAINT rooms_dm_key_unique UNIQUE (dm_key),
  CHECK (kind <> 'dm' OR dm_key IS NOT NULL)
);

CREATE TABLE memberships (
  room_id       TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  last_read_seq INTEGER NOT NULL DEFAULT 0,
  joined_at     INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (user_id, room_id);

-- id is the rowid (the full-text index refers to it); (room_id, seq) is the message's identity in
-- its room and the index every history page scans; (sender_id, client_msg_id) makes a resend
-- find the original instead of storing a copy. message_id is unique across rooms.
CREATE TABLE messages (
  id            INTEGER NOT NULL PRIMARY KEY,
  room_id       TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL CHECK (seq >= 1),
  message_id    TEXT    NOT NULL,
  sender_id     TEXT    NOT NULL REFERENCES users (id),
  client_msg_id TEXT,
  body          TEXT    NOT NULL,
  reply_to      TEXT,
  ts            INTEGER NOT NULL,
  edited_at     INTEGER,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  CONSTRAINT messages_room_seq_unique UNIQUE (room_id, seq),
  CONSTRAINT messages_sender_client_msg_unique UNIQUE (sender_id, client_msg_id),
  CONSTRAINT messages_message_id_unique UNIQUE (message_id)
);

-- One row per (message, emoji, user). emoji_pos keeps the order in which emojis first appeared on
-- the message; the rowid keeps the order in which users reacted.
CREATE TABLE reactions (
  message_rowid INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji         TEXT    NOT NULL,
  user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  emoji_pos     INTEGER NOT NULL,
  CONSTRAINT reactions_unique UNIQUE (message_rowid, emoji, user_id)
);
