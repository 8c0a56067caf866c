-- Schema version 2: files uploaded into rooms (as SQLite's V6). Their bytes live in a blob store,
-- named by their SHA-256: the blobs table below (PostgresBlobStore, chunks of bytea, so every node
-- reads the same) or a shared directory. A file waits with no message_id until its uploader sends
-- it, then belongs to that message (position: its place among the message's files) and goes when
-- the message is deleted.

CREATE TABLE files (
  id               text COLLATE "C" NOT NULL,
  room_id          text COLLATE "C" NOT NULL,
  uploader_id      text COLLATE "C" NOT NULL,
  name             text             NOT NULL,
  type             text             NOT NULL,
  size             bigint           NOT NULL CHECK (size >= 0),
  sha256           text COLLATE "C" NOT NULL,
  width            integer,
  height           integer,
  thumbnail_sha256 text COLLATE "C",
  created_at       bigint           NOT NULL,
  message_id       text COLLATE "C",
  position         integer,
  CONSTRAINT files_pkey PRIMARY KEY (id),
  CONSTRAINT files_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id),
  CONSTRAINT files_uploader_id_fkey FOREIGN KEY (uploader_id) REFERENCES users (id),
  CONSTRAINT files_message_position CHECK ((message_id IS NULL) = (position IS NULL))
);
CREATE INDEX files_by_message ON files (message_id, position) WHERE message_id IS NOT NULL;
CREATE INDEX files_unsent ON files (created_at) WHERE message_id IS NULL;
CREATE INDEX files_by_sha256 ON files (sha256);
CREATE INDEX files_by_thumbnail ON files (thumbnail_sha256) WHERE thumbnail_sha256 IS NOT NULL;

-- Blob bytes in chunks of at most 1 MiB, so neither side holds a whole file in memory.
CREATE TABLE blobs (
  sha256     text COLLATE "C" NOT NULL,
  size       bigint           NOT NULL,
  created_at bigint           NOT NULL,
  CONSTRAINT blobs_pkey PRIMARY KEY (sha256)
);
CREATE TABLE blob_chunks (
  sha256 text COLLATE "C" NOT NULL,
  n      integer          NOT NULL,
  data   bytea            NOT NULL,
  CONSTRAINT blob_chunks_pkey PRIMARY KEY (sha256, n),
  CONSTRAINT blob_chunks_sha256_fkey FOREIGN KEY (sha256) REFERENCES blobs (sha256)
    ON UPDATE CASCADE ON DELETE CASCADE
);
