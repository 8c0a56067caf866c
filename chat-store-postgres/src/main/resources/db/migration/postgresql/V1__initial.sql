-- Natter on PostgreSQL, schema version 1: accounts, sessions, rooms, memberships, messages,
-- reactions and the full-text index. Flyway runs it in the store's schema (search_path).
--
-- Times are bigint nanoseconds since the epoch, as in the SQLite store: lossless for every
-- java.time.Instant the JVM's clock gives (timestamptz keeps microseconds only, so an ack would
-- differ from what a read gives back). Read one as a time with to_timestamp(ts / 1e9).
-- Ids are COLLATE "C": they compare and sort by code point (UTF-8 bytes), the order the export
-- pages promise, whatever the database's collation.
-- The invariants the product promises are constraints here, and the store maps each constraint's
-- name to its store-independent error (Constraints.java): keep the names.

CREATE TABLE users (
  id            text COLLATE "C" NOT NULL,
  username      text             NOT NULL,
  display_name  text             NOT NULL,
  password_hash text             NOT NULL,
  created_at    bigint           NOT NULL,
  last_seen     bigint,
  CONSTRAINT users_pkey PRIMARY KEY (id)
);
-- Created after the primary key, so a row that breaks both reports the id first.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE sessions (
  id         text COLLATE "C" NOT NULL,
  user_id    text COLLATE "C" NOT NULL,
  created_at bigint           NOT NULL,
  expires_at bigint           NOT NULL,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- last_seq is the per-room counter: an append advances it with UPDATE ... RETURNING in the
-- transaction that inserts the message, so the seq is assigned in the commit and gapless (a
-- rolled-back append rolls the counter back too). The row lock it takes orders appends to one
-- room across every node.
CREATE TABLE rooms (
  id         text COLLATE "C" NOT NULL,
  kind       text             NOT NULL CHECK (kind IN ('dm', 'group')),
  name       text             NOT NULL,
  visibility text             NOT NULL CHECK (visibility IN ('public', 'private')),
  dm_key     text COLLATE "C",
  created_at bigint           NOT NULL,
  last_seq   bigint           NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  CONSTRAINT rooms_pkey PRIMARY KEY (id),
  CHECK (kind <> 'dm' OR dm_key IS NOT NULL)
);
CREATE UNIQUE INDEX rooms_dm_key_key ON rooms (dm_key);

CREATE TABLE memberships (
  room_id       text COLLATE "C" NOT NULL,
  user_id       text COLLATE "C" NOT NULL,
  role          text             NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  last_read_seq bigint           NOT NULL DEFAULT 0,
  joined_at     bigint           NOT NULL,
  CONSTRAINT memberships_pkey PRIMARY KEY (room_id, user_id),
  CONSTRAINT memberships_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id),
  CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX memberships_by_user ON memberships (user_id, room_id);

-- (room_id, seq) is a message's place in its room and the index every history page scans;
-- (sender_id, client_msg_id) makes a resend find the original instead of storing a copy (an
-- append inserts plainly and reads the original back after a unique violation; never ON
-- CONFLICT DO NOTHING after advancing the counter, which would leave a gap); message_id is unique
-- across rooms. search_vector is the body's words for full-text search (the 'simple'
-- configuration: lower case, no stemming, no stop words), kept by PostgreSQL itself.
CREATE TABLE messages (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  room_id       text COLLATE "C" NOT NULL,
  seq           bigint           NOT NULL CHECK (seq >= 1),
  message_id    text COLLATE "C" NOT NULL,
  sender_id     text COLLATE "C" NOT NULL,
  client_msg_id text COLLATE "C",
  body          text             NOT NULL,
  reply_to      text COLLATE "C",
  ts            bigint           NOT NULL,
  edited_at     bigint,
  deleted       boolean          NOT NULL DEFAULT false,
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('pg_catalog.simple', body)) STORED,
  CONSTRAINT messages_pkey PRIMARY KEY (id),
  CONSTRAINT messages_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id),
  CONSTRAINT messages_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX messages_room_seq_key ON messages (room_id, seq);
-- In this order: an import that breaks both reports the message id first.
CREATE UNIQUE INDEX messages_message_id_key ON messages (message_id);
CREATE UNIQUE INDEX messages_sender_client_msg_key ON messages (sender_id, client_msg_id);
CREATE INDEX messages_search ON messages USING gin (search_vector);

-- One row per (message, emoji, user). emoji_pos keeps the order in which emojis first appeared on
-- the message; id keeps the order in which users reacted.
CREATE TABLE reactions (
  id         bigint GENERATED ALWAYS AS IDENTITY,
  message_pk bigint           NOT NULL,
  emoji      text             NOT NULL,
  user_id    text COLLATE "C" NOT NULL,
  emoji_pos  integer          NOT NULL,
  CONSTRAINT reactions_pkey PRIMARY KEY (id),
  CONSTRAINT reactions_message_pk_fkey FOREIGN KEY (message_pk) REFERENCES messages (id),
  CONSTRAINT reactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE UNIQUE INDEX reactions_key ON reactions (message_pk, emoji, user_id);
