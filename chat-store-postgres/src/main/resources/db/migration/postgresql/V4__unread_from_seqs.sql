-- Unread counts from the seqs. A room's seqs have no gaps (assigned in the insert's transaction)
-- and messages are never removed, so the messages after a read marker number (last_seq - marker);
-- what does not count (my own messages, deleted ones) is counted through these two indexes, which
-- hold only those rows, instead of reading every message after the marker: listing the rooms of
-- a user who never reads a busy room no longer scans its history.
CREATE INDEX messages_by_sender ON messages (room_id, sender_id, seq);
CREATE INDEX messages_deleted ON messages (room_id, seq) WHERE deleted;
