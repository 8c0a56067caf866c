-- Schema version 6: files uploaded into rooms. Their bytes live in the blob store, named by their
-- SHA-256; a file waits with no message_id until its uploader sends it, then belongs to that
-- message (position: its place among the message's files) and goes when the message is deleted.

CREATE TABLE files (
  id               TEXT    NOT NULL PRIMARY KEY,
  room_id          TEXT    NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  uploader_id      TEXT    NOT NULL REFERENCES users (id),
  name             TEXT    NOT NULL,
  type             TEXT    NOT NULL,
  size             INTEGER NOT NULL CHECK (size >= 0),
  sha256           TEXT    NOT NULL,
  width            INTEGER,
  height           INTEGER,
  thumbnail_sha256 TEXT,
  created_at       INTEGER NOT NULL,
  message_id       TEXT,
  position         INTEGER,
  CHECK ((message_id IS NULL) = (position IS NULL))
);
CREATE INDEX files_by_message ON files (message_id, position) WHERE message_id IS NOT NULL;
CREATE INDEX files_unsent ON files (created_at) WHERE message_id IS NULL;
CREATE INDEX files_by_sha256 ON files (sha256);
CREATE INDEX files_by_thumbnail ON files (thumbnail_sha256) WHERE thumbnail_sha256 IS NOT NULL;
