-- Schema version 2: full-text search over message bodies (FTS5, external content).
-- The index holds no copy of the text: it reads bodies from messages by rowid. Triggers keep it in
-- step with inserts, edits and deletes; a deleted message has an empty body, so nothing of it stays
-- searchable. The final 'rebuild' indexes the messages a version-1 database already holds.

CREATE VIRTUAL TABLE messages_fts USING fts5 (
  body,
  content = 'messages',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF body ON messages BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
