-- Schema version 3: the per-room counter moves with the message, inside the INSERT itself.
-- A message must take seq = rooms.last_seq + 1 (any writer, even plain SQL, is refused otherwise),
-- and the same statement advances rooms.last_seq, so the row and the counter cannot be written
-- apart and seqs stay gapless whoever writes.

CREATE TRIGGER messages_take_next_seq AFTER INSERT ON messages BEGIN
  SELECT RAISE(ABORT, 'messages.seq must be rooms.last_seq + 1')
  WHERE NEW.seq IS NOT (SELECT last_seq + 1 FROM rooms WHERE id = NEW.room_id);
  UPDATE rooms SET last_seq = NEW.seq WHERE id = NEW.room_id;
END;
