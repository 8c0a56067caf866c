// The message list of one room, as pure functions over immutable arrays.
//
// Invariants every function keeps:
// - confirmed messages (seq known) come first, in ascending seq order, each seq at most once;
// - pending and failed messages (no seq yet) follow, in the order they were written;
// - no two entries share a messageId, nor (for my own messages) a clientMsgId.
// A message can reach us several times (my own `message` echo plus the `ack`, a replay after
// `sync`, an overlapping history page): merging by seq/messageId/clientMsgId makes that harmless.

import type { FileInfo, Reactions, User, WireMessage } from '../../lib/protocol';

export type MessageStatus = 'sent' | 'pending' | 'failed';

export interface ChatMessage {
  /** Stable React key: the clientMsgId for messages written here, otherwise the messageId. */
  key: string;
  room: string;
  /** null while pending or failed. */
  seq: number | null;
  messageId: string | null;
  clientMsgId: string | null;
  sender: User;
  body: string;
  ts: string;
  replyTo: string | null;
  editedAt: string | null;
  deleted: boolean;
  reactions: Reactions;
  /** Attached files (none once deleted). */
  files: FileInfo[];
  /** Ids of the users it mentions, from the server; null when the server did not say (v1.0). */
  mentions: string[] | null;
  status: MessageStatus;
  /** Why a failed message failed. */
  error?: string;
}

export interface Conversation {
  messages: ChatMessage[];
  /** Older history exists on the server. */
  hasMore: boolean;
  loadingOlder: boolean;
  /** The newest page arrived at least once. */
  loaded: boolean;
}

export const emptyConversation: Conversation = {
  messages: [],
  hasMore: false,
  loadingOlder: false,
  loaded: false,
};

export function fromWire(m: WireMessage): ChatMessage {
  return {
    key: m.clientMsgId ?? m.messageId,
    room: m.room,
    seq: m.seq,
    messageId: m.messageId,
    clientMsgId: m.clientMsgId ?? null,
    sender: m.sender,
    body: m.deleted ? '' : m.body,
    ts: m.ts,
    replyTo: m.replyTo ?? null,
    editedAt: m.editedAt ?? null,
    deleted: m.deleted,
    reactions: m.reactions ?? {},
    files: m.deleted ? [] : (m.files ?? []),
    mentions: m.mentions ?? null,
    status: 'sent',
  };
}

export interface PendingInput {
  room: string;
  clientMsgId: string;
  sender: User;
  body: string;
  replyTo?: string | null;
  ts: string;
  /** Uploaded files sent with it. */
  files?: FileInfo[];
}

export function makePending(p: PendingInput): ChatMessage {
  return {
    key: p.clientMsgId,
    room: p.room,
    seq: null,
    messageId: null,
    clientMsgId: p.clientMsgId,
    sender: p.sender,
    body: p.body,
    ts: p.ts,
    replyTo: p.replyTo ?? null,
    editedAt: null,
    deleted: false,
    reactions: {},
    files: p.files ?? [],
    mentions: null,
    status: 'pending',
  };
}

function isConfirmed(m: ChatMessage): m is ChatMessage & { seq: number } {
  return m.seq !== null;
}

/** Confirmed by seq first, then unconfirmed in insertion order (Array.sort is stable). */
function sortMessages(list: ChatMessage[]): ChatMessage[] {
  return list.sort((a, b) => {
    const sa = a.seq ?? Number.POSITIVE_INFINITY;
    const sb = b.seq ?? Number.POSITIVE_INFINITY;
    if (sa === sb) return 0;
    return sa < sb ? -1 : 1;
  });
}

/** The later of two versions of the same stored message (edits and deletions only move forward). */
function newer(existing: ChatMessage, incoming: ChatMessage): ChatMessage {
  const merged: ChatMessage = {
    ...incoming,
    key: existing.key,
    clientMsgId: incoming.clientMsgId ?? existing.clientMsgId,
    error: undefined,
  };
  if (existing.status !== 'sent') return merged;
  if (existing.deleted && !incoming.deleted) {
    return { ...merged, deleted: true, body: '', files: [], editedAt: existing.editedAt };
  }
  if (existing.editedAt && (!incoming.editedAt || existing.editedAt > incoming.editedAt)) {
    return {
      ...merged,
      body: existing.body,
      mentions: existing.mentions,
      editedAt: existing.editedAt,
      deleted: existing.deleted,
    };
  }
  return merged;
}

/**
 * Merges messages from any source (live event, sync replay, history page) into a list: each
 * message appears once, in seq order. A pending message with the same clientMsgId is replaced by
 * the stored one.
 */
export function mergeMessages(
  list: readonly ChatMessage[],
  incoming: readonly (ChatMessage | WireMessage)[],
): ChatMessage[] {
  if (incoming.length === 0) return list as ChatMessage[];
  const result = [...list];
  const byMessageId = new Map<string, number>();
  const byClientId = new Map<string, number>();
  const bySeq = new Map<number, number>();
  const index = (m: ChatMessage, i: number) => {
    if (m.messageId) byMessageId.set(m.messageId, i);
    if (m.clientMsgId) byClientId.set(`${m.sender.id}\u0000${m.clientMsgId}`, i);
    if (m.seq !== null) bySeq.set(m.seq, i);
  };
  result.forEach(index);

  for (const raw of incoming) {
    const inc = 'status' in raw ? raw : fromWire(raw);
    let at: number | undefined;
    if (inc.messageId) at = byMessageId.get(inc.messageId);
    if (at === undefined && inc.clientMsgId) at = byClientId.get(`${inc.sender.id}\u0000${inc.clientMsgId}`);
    if (at === undefined && inc.seq !== null) at = bySeq.get(inc.seq);
    if (at !== undefined) {
      const existing = result[at];
      if (!existing) continue;
      // An unconfirmed copy never overwrites a stored one.
      if (inc.status !== 'sent' && existing.status === 'sent') continue;
      const merged = inc.status === 'sent' ? newer(existing, inc) : { ...inc, key: existing.key };
      result[at] = merged;
      index(merged, at);
    } else {
      result.push(inc);
      index(inc, result.length - 1);
    }
  }
  return sortMessages(result);
}

/** Adds a message written here, before the server has it. */
export function addPending(list: readonly ChatMessage[], pending: ChatMessage): ChatMessage[] {
  return mergeMessages(list, [pending]);
}

export interface AckLike {
  clientMsgId: string;
  seq: number;
  messageId: string;
  ts: string;
}

/** The server stored a message written here: it gets its seq and messageId, once. */
export function applyAck(list: readonly ChatMessage[], ack: AckLike): ChatMessage[] {
  const at = list.findIndex((m) => m.clientMsgId === ack.clientMsgId && m.messageId === null);
  if (at < 0) return list as ChatMessage[]; // already confirmed by the `message` echo
  const pending = list[at];
  if (!pending) return list as ChatMessage[];
  const confirmed: ChatMessage = {
    ...pending,
    seq: ack.seq,
    messageId: ack.messageId,
    ts: ack.ts,
    status: 'sent',
    error: undefined,
  };
  const rest = list.filter((_, i) => i !== at);
  return mergeMessages(rest, [confirmed]);
}

export function markFailed(list: readonly ChatMessage[], clientMsgId: string, error: string): ChatMessage[] {
  return list.map((m) =>
    m.clientMsgId === clientMsgId && m.status === 'pending' ? { ...m, status: 'failed', error } : m,
  );
}

export function markPending(list: readonly ChatMessage[], clientMsgId: string): ChatMessage[] {
  return list.map((m) =>
    m.clientMsgId === clientMsgId && m.status === 'failed' ? { ...m, status: 'pending', error: undefined } : m,
  );
}

export function removeUnconfirmed(list: readonly ChatMessage[], clientMsgId: string): ChatMessage[] {
  return list.filter((m) => !(m.clientMsgId === clientMsgId && m.status !== 'sent'));
}

export interface UpdateLike {
  seq: number;
  messageId: string;
  body: string;
  editedAt?: string | null;
  deleted: boolean;
  reactions: Reactions;
  files?: FileInfo[] | null;
  mentions?: string[] | null;
}

/** An edit, deletion or reaction change of a stored message. Unknown messages are ignored. */
export function applyUpdate(list: readonly ChatMessage[], u: UpdateLike): ChatMessage[] {
  const at = list.findIndex((m) => m.messageId === u.messageId);
  if (at < 0) return list as ChatMessage[];
  return list.map((m, i) =>
    i === at
      ? {
          ...m,
          body: u.deleted ? '' : u.body,
          editedAt: u.editedAt ?? m.editedAt,
          deleted: u.deleted,
          reactions: u.reactions ?? {},
          files: u.deleted ? [] : (u.files ?? m.files),
          mentions: u.mentions !== undefined ? u.mentions : m.mentions,
        }
      : m,
  );
}

/** The lowest seq loaded, or null. */
export function lowestSeq(list: readonly ChatMessage[]): number | null {
  const first = list.find(isConfirmed);
  return first ? first.seq : null;
}

/** The highest seq loaded, or null. */
export function highestSeq(list: readonly ChatMessage[]): number | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (m && m.seq !== null) return m.seq;
  }
  return null;
}

/**
 * The highest seq such that every seq from the lowest loaded one up to it is loaded: what `sync`
 * asks to resume from. A live message that arrived past a gap does not count, so the gap is
 * replayed (and the duplicate merged away). null when nothing is loaded.
 */
export function highestContiguousSeq(list: readonly ChatMessage[]): number | null {
  let last: number | null = null;
  for (const m of list) {
    if (m.seq === null) continue;
    if (last === null || m.seq === last + 1) last = m.seq;
    else if (m.seq > last + 1) break;
  }
  return last;
}

/** Replaces the stored messages by a fresh newest page, keeping what is still unconfirmed. */
export function replaceWithPage(list: readonly ChatMessage[], page: readonly WireMessage[]): ChatMessage[] {
  const unconfirmed = list.filter((m) => m.status !== 'sent');
  const kept = new Map(list.filter(isConfirmed).map((m) => [m.messageId, m.key]));
  const fresh = page.map((w) => {
    const m = fromWire(w);
    const key = kept.get(m.messageId);
    return key ? { ...m, key } : m;
  });
  return mergeMessages(mergeMessages([], fresh), unconfirmed);
}

/** Messages still waiting for the server (to resend after a reconnect). */
export function pendingMessages(list: readonly ChatMessage[]): ChatMessage[] {
  return list.filter((m) => m.status === 'pending');
}

export function findByMessageId(list: readonly ChatMessage[], messageId: string | null): ChatMessage | undefined {
  if (!messageId) return undefined;
  return list.find((m) => m.messageId === messageId);
}
