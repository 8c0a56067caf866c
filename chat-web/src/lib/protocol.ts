// Natter protocol v1 as the browser sees it (see /shared/PROTOCOL.md and docs/protocol.md).
// Names are fixed by the contract: do not rename fields here.

export interface User {
  id: string;
  username: string;
  displayName: string;
}

export type RoomKind = 'dm' | 'group';
export type Visibility = 'public' | 'private';
export type Role = 'owner' | 'admin' | 'member';
export type PresenceStatus = 'online' | 'offline';

/** emoji -> ids of the users who reacted with it, in order. */
export type Reactions = Record<string, string[]>;

/** An uploaded file (v1.1): the contract's `file`. `width`/`height` only for images. */
export interface FileInfo {
  id: string;
  name: string;
  /** The content type the server sniffed from the bytes. */
  type: string;
  /** Bytes. */
  size: number;
  width?: number | null;
  height?: number | null;
}

/** My notification level for a room (v1.1): every message, only mentions of me, nothing. */
export type NotifyLevel = 'all' | 'mentions' | 'none';

export const NOTIFY_LEVELS: readonly NotifyLevel[] = ['all', 'mentions', 'none'];

export interface WireMessage {
  room: string;
  seq: number;
  messageId: string;
  sender: User;
  body: string;
  ts: string;
  replyTo?: string | null;
  editedAt?: string | null;
  deleted: boolean;
  reactions: Reactions;
  /** Only on the sender's own connections. */
  clientMsgId?: string | null;
  /** v1.1; absent from older servers. */
  files?: FileInfo[] | null;
  /** v1.1: ids of the users the message mentions (`@room`: every member); absent from older servers. */
  mentions?: string[] | null;
}

/**
 * One answer of `GET /api/search`: the message plus `snippet`, a short excerpt of the body in which
 * the server wrapped the match in `[` and `]` (untrusted text: render it as text, never as HTML).
 */
export interface SearchHit extends WireMessage {
  snippet?: string | null;
}

export interface RoomSummary {
  id: string;
  kind: RoomKind;
  name: string;
  visibility: Visibility;
  members: User[];
  myRole: Role;
  lastSeq: number;
  lastMessage?: WireMessage | null;
  unread: number;
  lastReadSeq: number;
  /** v1.1: unread messages that mention me. */
  mentions?: number | null;
  /** v1.1: my notification level for the room; absent from older servers. */
  notify?: NotifyLevel | null;
}

export interface PresenceInfo {
  user: User;
  status: PresenceStatus;
  lastSeen?: string | null;
}

export type ErrorCode =
  'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'too_large' | 'rate_limited' | 'conflict' | 'internal';

// ---- server -> client ------------------------------------------------------------------------

export interface ReadyEvent {
  type: 'ready';
  user: User;
  heartbeat?: { intervalMs: number; timeoutMs: number };
  rooms: RoomSummary[];
  presence?: PresenceInfo[];
}
export interface MessageEvent extends WireMessage {
  type: 'message';
}
export interface MessageUpdatedEvent {
  type: 'messageUpdated';
  room: string;
  seq: number;
  messageId: string;
  body: string;
  editedAt?: string | null;
  deleted: boolean;
  reactions: Reactions;
  /** v1.1, when the server sends them (an edit changes the mentions). */
  files?: FileInfo[] | null;
  mentions?: string[] | null;
}
export interface AckEvent {
  type: 'ack';
  id?: string;
  clientMsgId: string;
  room: string;
  seq: number;
  messageId: string;
  ts: string;
}
export interface OkEvent {
  type: 'ok';
  id: string;
}
export interface TypingEvent {
  type: 'typing';
  room: string;
  user: User;
  active: boolean;
}
export interface PresenceEvent extends PresenceInfo {
  type: 'presence';
}
export interface ReadEvent {
  type: 'read';
  room: string;
  user: User;
  seq: number;
}
export interface RoomEvent {
  type: 'room';
  room: RoomSummary;
}
export interface RoomLeftEvent {
  type: 'roomLeft';
  room: string;
}
export interface SyncedEvent {
  type: 'synced';
  id?: string;
  room: string;
  upToSeq: number;
  limited: boolean;
}
export interface HistoryEvent {
  type: 'history';
  id?: string;
  room: string;
  messages: WireMessage[];
  hasMore: boolean;
}
export interface ErrorEvent {
  type: 'error';
  id?: string | null;
  /** One of ErrorCode; unknown codes are tolerated. */
  code: string;
  message: string;
}

export type ServerEvent =
  | ReadyEvent
  | MessageEvent
  | MessageUpdatedEvent
  | AckEvent
  | OkEvent
  | TypingEvent
  | PresenceEvent
  | ReadEvent
  | RoomEvent
  | RoomLeftEvent
  | SyncedEvent
  | HistoryEvent
  | ErrorEvent;

// ---- client -> server ------------------------------------------------------------------------

export type ClientCommand =
  | { type: 'send'; id: string; room: string; clientMsgId: string; body: string; replyTo?: string; files?: string[] }
  | { type: 'edit'; id: string; room: string; messageId: string; body: string }
  | { type: 'delete'; id: string; room: string; messageId: string }
  | { type: 'react'; id: string; room: string; messageId: string; emoji: string; on: boolean }
  | { type: 'typing'; room: string; active: boolean }
  | { type: 'read'; room: string; seq: number }
  | { type: 'sync'; id: string; rooms: Record<string, number> }
  | { type: 'history'; id: string; room: string; before?: number; limit?: number };

/** The server's limit on a message body, after trimming. */
export const MAX_BODY_CHARS = 16000;
/** The largest page `history` accepts. */
export const MAX_HISTORY_LIMIT = 100;

/** The server's limit on a search query (`GET /api/search?q=`). */
export const MAX_SEARCH_CHARS = 200;

/** WebSocket close codes of the contract. */
export const CloseCodes = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  BAD_ORIGIN: 1008,
  TOO_LARGE: 1009,
  SESSION_REVOKED: 4001,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
} as const;

const SERVER_TYPES = new Set([
  'ready',
  'message',
  'messageUpdated',
  'ack',
  'ok',
  'typing',
  'presence',
  'read',
  'room',
  'roomLeft',
  'synced',
  'history',
  'error',
]);

/** Parses one text frame; returns null for anything that is not a known event object. */
export function parseServerEvent(data: unknown): ServerEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !SERVER_TYPES.has(type)) return null;
  return value as ServerEvent;
}

/** My level for a room; older servers send none, which means `all`. */
export function notifyLevelOf(room: { notify?: NotifyLevel | null }): NotifyLevel {
  const level = room.notify;
  return level === 'mentions' || level === 'none' ? level : 'all';
}

/** A display name that is never empty. */
export function nameOf(user: User | undefined | null): string {
  if (!user) return 'Someone';
  return user.displayName?.trim() || user.username;
}
