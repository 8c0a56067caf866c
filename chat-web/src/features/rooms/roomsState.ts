// Sidebar bookkeeping over room summaries: pure functions.

import { filesSummary } from '../../lib/files';
import { notifyLevelOf, type RoomSummary, type User, type WireMessage } from '../../lib/protocol';

export type RoomMap = Record<string, RoomSummary>;

/**
 * What the unread count needs to know of a loaded message. The messages feature's ChatMessage
 * has this shape, so it can hand its list over without rooms depending on messages.
 */
export interface SeenMessage {
  seq: number | null;
  deleted: boolean;
  sender: { id: string };
  /** Ids of the users it mentions (v1.1). */
  mentions?: readonly string[] | null;
}

/** Whether the server says `m` mentions user `userId` (v1.1 `mentions`; `@room` included). */
function mentionsUser(m: { mentions?: readonly string[] | null }, userId: string | undefined): boolean {
  return !!userId && Array.isArray(m.mentions) && m.mentions.includes(userId);
}

/** Unread messages that mention me (0 from servers without mentions). */
export function mentionCount(room: RoomSummary): number {
  const n = room.mentions ?? 0;
  return n > 0 ? n : 0;
}

/** The time of a room's latest activity, for sorting ('' when it has no message yet). */
export function activityOf(room: RoomSummary): string {
  return room.lastMessage?.ts ?? '';
}

/** Latest activity first; rooms without messages last, by name. */
export function sortRooms(rooms: Iterable<RoomSummary>): RoomSummary[] {
  return [...rooms].sort((a, b) => {
    const ta = activityOf(a);
    const tb = activityOf(b);
    if (ta !== tb) {
      // ISO-8601 UTC strings of equal shape compare as text; fall back to Date for mixed shapes.
      const da = ta ? Date.parse(ta) : -Infinity;
      const db = tb ? Date.parse(tb) : -Infinity;
      if (da !== db) return db - da;
    }
    return a.name.localeCompare(b.name);
  });
}

/** For a DM, the other member (or myself in a note-to-self DM). */
export function dmPeer(room: RoomSummary, me: User | null): User | undefined {
  if (room.kind !== 'dm') return undefined;
  return room.members.find((m) => m.id !== me?.id) ?? room.members[0];
}

/** A new message reached the room: preview, lastSeq, unread (others' messages after my marker). */
export function applyMessageToRoom(room: RoomSummary, m: WireMessage, meId: string | undefined): RoomSummary {
  if (m.seq > room.lastSeq) {
    const counts = m.sender.id !== meId && !m.deleted && m.seq > room.lastReadSeq;
    const next = { ...room, lastSeq: m.seq, lastMessage: m, unread: room.unread + (counts ? 1 : 0) };
    return counts && mentionsUser(m, meId) ? { ...next, mentions: mentionCount(room) + 1 } : next;
  }
  if (m.seq === room.lastSeq && (!room.lastMessage || room.lastMessage.messageId === m.messageId)) {
    return { ...room, lastMessage: m };
  }
  return room;
}

export interface UpdateFields {
  messageId: string;
  body: string;
  editedAt?: string | null;
  deleted: boolean;
  reactions: Record<string, string[]>;
  mentions?: string[] | null;
}

export function applyUpdateToRoom(room: RoomSummary, u: UpdateFields, meId: string | undefined): RoomSummary {
  const last = room.lastMessage;
  if (!last || last.messageId !== u.messageId) return room;
  const becameDeleted = u.deleted && !last.deleted;
  const unreadDrop = becameDeleted && last.sender.id !== meId && last.seq > room.lastReadSeq ? 1 : 0;
  const mentionDrop = unreadDrop && mentionsUser(last, meId) ? 1 : 0;
  return {
    ...room,
    unread: Math.max(0, room.unread - unreadDrop),
    ...(mentionDrop ? { mentions: Math.max(0, mentionCount(room) - 1) } : {}),
    lastMessage: {
      ...last,
      body: u.deleted ? '' : u.body,
      editedAt: u.editedAt ?? last.editedAt,
      deleted: u.deleted,
      reactions: u.reactions,
      ...(u.deleted ? { files: [] } : {}),
      ...(u.mentions !== undefined ? { mentions: u.mentions } : {}),
    },
  };
}

/**
 * My read marker moved to `seq` (here or on another device). The unread count is recounted from
 * the loaded messages when they cover everything after the marker, and estimated otherwise.
 */
export function applyReadToRoom(
  room: RoomSummary,
  seq: number,
  loaded: readonly SeenMessage[] | undefined,
  meId: string | undefined,
): RoomSummary {
  if (seq <= room.lastReadSeq) return room;
  let unread: number;
  let mentioned: number;
  if (seq >= room.lastSeq) {
    unread = 0;
    mentioned = 0;
  } else {
    const covered = coversRange(loaded, seq + 1, room.lastSeq);
    if (covered && loaded) {
      const after = loaded.filter((m) => m.seq !== null && m.seq > seq && !m.deleted && m.sender.id !== meId);
      unread = after.length;
      mentioned = after.filter((m) => mentionsUser(m, meId)).length;
    } else {
      unread = Math.min(room.unread, room.lastSeq - seq);
      mentioned = Math.min(mentionCount(room), unread);
    }
  }
  const next = { ...room, lastReadSeq: seq, unread };
  return room.mentions === undefined && mentioned === 0 ? next : { ...next, mentions: mentioned };
}

function coversRange(list: readonly SeenMessage[] | undefined, from: number, to: number): boolean {
  if (!list) return false;
  const seqs = new Set<number>();
  for (const m of list) if (m.seq !== null) seqs.add(m.seq);
  for (let s = from; s <= to; s++) if (!seqs.has(s)) return false;
  return true;
}

export function totalUnread(rooms: RoomMap): number {
  let n = 0;
  for (const r of Object.values(rooms)) n += r.unread > 0 ? r.unread : 0;
  return n;
}

/**
 * How many of a room's unread messages call for my attention, by my level for it: all of them
 * (`all`), those that mention me (`mentions`), none (`none`). The tab title adds these up.
 */
export function attentionCount(room: RoomSummary): number {
  switch (notifyLevelOf(room)) {
    case 'all':
      return room.unread > 0 ? room.unread : 0;
    case 'mentions':
      return mentionCount(room);
    case 'none':
      return 0;
  }
}

export function totalAttention(rooms: RoomMap): number {
  let n = 0;
  for (const r of Object.values(rooms)) n += attentionCount(r);
  return n;
}

/** A room summary from the server replaces ours, but a read marker never moves back. */
export function upsertRoom(rooms: RoomMap, summary: RoomSummary): RoomMap {
  const old = rooms[summary.id];
  let next = summary;
  if (old && old.lastReadSeq > summary.lastReadSeq) {
    next = { ...summary, lastReadSeq: old.lastReadSeq, unread: Math.min(summary.unread, old.unread) };
    if (summary.mentions != null) next.mentions = Math.min(mentionCount(summary), mentionCount(old));
  }
  if (old && old.lastSeq > next.lastSeq) {
    next = { ...next, lastSeq: old.lastSeq, lastMessage: old.lastMessage ?? next.lastMessage };
  }
  return { ...rooms, [summary.id]: next };
}

export function removeRoom(rooms: RoomMap, id: string): RoomMap {
  if (!(id in rooms)) return rooms;
  const next = { ...rooms };
  delete next[id];
  return next;
}

/** A message body without markdown markers, on one line. */
export function plainText(body: string): string {
  return body
    .replace(/```+/g, ' ')
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1')
    .replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One-line preview of a room's last message. */
export function previewOf(room: RoomSummary, me: User | null): string {
  const m = room.lastMessage;
  if (!m) return room.kind === 'dm' ? 'No messages yet' : `${room.members.length} members`;
  const body = m.deleted ? 'Message deleted' : plainText(m.body) || filesSummary(m.files);
  const who = m.sender.id === me?.id ? 'You' : room.kind === 'group' ? m.sender.displayName || m.sender.username : '';
  const text = who ? `${who}: ${body}` : body;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
