-- Schema version 4: the full-text index moves out of this file into its own, derived database
-- (see SearchIndex), kept up to date by its own thread and connection. Tokenizing and indexing
-- every message inside the append transaction took about 40 % of the single writer's time; apart,
-- it runs beside the writer instead of in front of every ack.
--
-- Appends need nothing here: messages are never removed (a deleted message keeps its row with an
-- empty body) and ids only grow, so the index follows new messages by id. Edits and deletes do
-- change indexed text: each one leaves a row in search_changes, in the same transaction, which the
-- index applies and then lets the writer prune.

DROP TRIGGER messages_fts_after_insert;
DROP TRIGGER messages_fts_after_delete;
DROP TRIGGER messages_fts_after_update;
DROP TABLE messages_fts;

CREATE TABLE search_changes (
  id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  message_id INTEGER NOT NULL
);

CREATE TRIGGER messages_search_after_update AFTER UPDATE OF body ON messages BEGIN
  INSERT INTO search_changes (message_id) VALUES (new.id);
END;

-- Names this database's lineage for the index file beside it: a backup copy keeps the token, a
-- new or imported database gets a new one, so an index never serves a database it was not built
-- from. (search_changes uses AUTOINCREMENT so that pruning never lets an id come back.)
CREATE TABLE store_identity (
  id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  token TEXT    NOT NULL
);
INSERT INTO store_identity (id, token) VALUES (1, lower(hex(randomblob(16))));
