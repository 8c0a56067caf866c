-- Schema version 5: a message row is never removed (a deleted message keeps its row, seq and an
-- empty body). The search index follows messages by id and relies on it: a removed row's id could
-- be given again (the rowid is not AUTOINCREMENT), and the index would then show the old
-- message's text in the new message's room. Any writer is refused, not only the store's code.

CREATE TRIGGER messages_are_never_removed BEFORE DELETE ON messages BEGIN
  SELECT RAISE(ABORT, 'messages are never removed: mark them deleted instead');
END;
