// The chat session of one signed-in user: it owns the state the UI renders, talks to the server
// through the one ChatSocket, and applies every server event through the pure feature reducers.
// React subscribes with useSyncExternalStore (see useChat.ts); tests drive it with a fake socket.

import { newClientMsgId } from '../lib/ids';
import {
  MAX_BODY_CHARS,
  MAX_HISTORY_LIMIT,
  nameOf,
  type ClientCommand,
  type ErrorEvent,
  type HistoryEvent,
  type ReadyEvent,
  type RoomSummary,
  type ServerEvent,
  type User,
  type WireMessage,
} from '../lib/protocol';
import { ChatSocket, type ChatSocketOptions, type ConnectionState } from '../lib/socket';
import {
  addPending,
  applyAck,
  applyUpdate,
  emptyConversation,
  findByMessageId,
  highestContiguousSeq,
  lowestSeq,
  makePending,
  markFailed,
  markPending,
  mergeMessages,
  pendingMessages,
  removeUnconfirmed,
  replaceWithPage,
  type ChatMessage,
  type Conversation,
} from '../features/messages/messageStore';
import { mentions } from '../features/messages/markdown';
import { TYPING_EXPIRY_MS, TypingSender } from '../features/messages/typing';
import { applyPresence, presenceFromList, type PresenceMap } from '../features/presence/presence';
import {
  applyMessageToRoom,
  applyReadToRoom,
  applyUpdateToRoom,
  removeRoom,
  upsertRoom,
  type RoomMap,
} from '../features/rooms/roomsState';

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface TypingEntry {
  user: User;
  expiresAt: number;
}

/** A message to bring into view and highlight (a search hit that was clicked). */
export interface MessageFocus {
  room: string;
  messageId: string;
  seq: number;
  /** Tells apart two requests for the same message. */
  token: number;
}

export interface ChatState {
  me: User;
  connection: ConnectionState;
  /** The first `ready` arrived (the sidebar is filled). */
  ready: boolean;
  rooms: RoomMap;
  presence: PresenceMap;
  conversations: Record<string, Conversation>;
  typing: Record<string, Record<string, TypingEntry>>;
  activeRoomId: string | null;
  /** The message the open room should scroll to and highlight, if any. */
  focus: MessageFocus | null;
  notices: Notice[];
}

export interface Page {
  messages: WireMessage[];
  hasMore: boolean;
}

export interface Notifier {
  /** Shows a desktop notification if allowed; clicking it should call onClick. */
  notify(title: string, body: string, tag: string, onClick: () => void): void;
}

export interface ControllerOptions {
  me: User;
  socket?: ChatSocket;
  socketOptions?: ChatSocketOptions;
  /** HTTP fallback for history while the socket is down. */
  fetchPage?: (room: string, before: number | undefined, limit: number) => Promise<Page>;
  notifier?: Notifier;
  isHidden?: () => boolean;
  now?: () => number;
  onSignedOut?: () => void;
  /** How long a send may wait for its ack before it shows as failed. */
  ackTimeoutMs?: number;
  /** How long showMessage waits for a room's first page. */
  loadTimeoutMs?: number;
  pageSize?: number;
}

type HistoryMode = 'initial' | 'older' | 'reload';

type Request =
  | { kind: 'send'; room: string; clientMsgId: string }
  | { kind: 'history'; room: string; mode: HistoryMode; done: Array<() => void> }
  | { kind: 'edit' | 'delete' | 'react'; room: string }
  | { kind: 'sync' };

const ERROR_TEXT: Record<string, string> = {
  bad_request: 'The server did not accept this.',
  unauthorized: 'You are signed out.',
  forbidden: 'You are not allowed to do that here.',
  not_found: 'It no longer exists.',
  too_large: 'The message is too long.',
  rate_limited: 'Slow down: too many messages at once.',
  conflict: 'That conflicts with a change made elsewhere.',
  internal: 'The server had a problem. Try again.',
};

export function describeError(e: { code: string; message?: string }): string {
  return ERROR_TEXT[e.code] ?? e.message ?? 'Something went wrong.';
}

export class ChatController {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  readonly socket: ChatSocket;
  private readonly requests = new Map<string, Request>();
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly syncing = new Set<string>();
  private readonly historyInFlight = new Set<string>();
  private readonly typingSenders = new Map<string, TypingSender>();
  private readonly pendingReads = new Map<string, number>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private unsubscribers: Array<() => void> = [];
  private noticeSeq = 0;
  private focusSeq = 0;
  private readonly now: () => number;
  private readonly ackTimeoutMs: number;
  private readonly loadTimeoutMs: number;
  private readonly pageSize: number;

  constructor(private readonly options: ControllerOptions) {
    this.socket = options.socket ?? new ChatSocket(options.socketOptions);
    this.now = options.now ?? (() => Date.now());
    this.ackTimeoutMs = options.ackTimeoutMs ?? 15_000;
    this.loadTimeoutMs = options.loadTimeoutMs ?? 20_000;
    this.pageSize = Math.min(options.pageSize ?? 50, MAX_HISTORY_LIMIT);
    this.state = {
      me: options.me,
      connection: 'connecting',
      ready: false,
      rooms: {},
      presence: {},
      conversations: {},
      typing: {},
      activeRoomId: null,
      focus: null,
      notices: [],
    };
  }

  // ---- store plumbing ------------------------------------------------------------------------

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private setConversation(room: string, update: (c: Conversation) => Conversation): void {
    const current = this.state.conversations[room] ?? emptyConversation;
    const next = update(current);
    if (next === current) return;
    this.set({ conversations: { ...this.state.conversations, [room]: next } });
  }

  private later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  start(): void {
    this.unsubscribers.push(
      this.socket.onEvent((e) => this.handle(e)),
      this.socket.onState((s) => this.onConnection(s)),
    );
    this.set({ connection: this.socket.connectionState === 'offline' ? 'connecting' : this.socket.connectionState });
    this.socket.connect();
  }

  stop(): void {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    for (const s of this.typingSenders.values()) s.stop();
    this.typingSenders.clear();
    this.socket.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const t of this.ackTimers.values()) clearTimeout(t);
    this.ackTimers.clear();
    this.requests.clear();
    this.historyInFlight.clear();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  private onConnection(connection: ConnectionState): void {
    if (connection !== 'online') {
      // Requests on a dead connection are never answered: pending sends stay pending (they are
      // resent after `ready`), history requests are retried.
      for (const t of this.ackTimers.values()) clearTimeout(t);
      this.ackTimers.clear();
      for (const r of this.requests.values()) if (r.kind === 'history') for (const d of r.done) d();
      this.requests.clear();
      this.historyInFlight.clear();
      this.syncing.clear();
      const convs: Record<string, Conversation> = {};
      let changed = false;
      for (const [id, c] of Object.entries(this.state.conversations)) {
        convs[id] = c.loadingOlder ? { ...c, loadingOlder: false } : c;
        changed ||= c.loadingOlder;
      }
      this.set(changed ? { connection, conversations: convs } : { connection });
    } else {
      this.set({ connection });
    }
    if (connection === 'signedOut') this.options.onSignedOut?.();
  }

  // ---- server events -------------------------------------------------------------------------

  handle(e: ServerEvent): void {
    switch (e.type) {
      case 'ready':
        return this.onReady(e);
      case 'message':
        return this.onMessage(e);
      case 'ack': {
        const t = this.ackTimers.get(e.clientMsgId);
        if (t) clearTimeout(t);
        this.ackTimers.delete(e.clientMsgId);
        if (e.id) this.requests.delete(e.id);
        if (this.state.conversations[e.room]) {
          this.setConversation(e.room, (c) => ({ ...c, messages: applyAck(c.messages, e) }));
        }
        return;
      }
      case 'messageUpdated': {
        const room = this.state.rooms[e.room];
        if (room) {
          const next = applyUpdateToRoom(room, e, this.state.me.id);
          if (next !== room) this.set({ rooms: { ...this.state.rooms, [e.room]: next } });
        }
        if (this.state.conversations[e.room]) {
          this.setConversation(e.room, (c) => ({ ...c, messages: applyUpdate(c.messages, e) }));
        }
        return;
      }
      case 'ok':
        this.requests.delete(e.id);
        return;
      case 'typing':
        return this.onTyping(e.room, e.user, e.active);
      case 'presence':
        this.set({ presence: applyPresence(this.state.presence, e) });
        return;
      case 'read':
        if (e.user.id === this.state.me.id) this.applyMyRead(e.room, e.seq);
        return;
      case 'room':
        this.set({ rooms: upsertRoom(this.state.rooms, e.room) });
        return;
      case 'roomLeft':
        return this.forgetRoom(e.room);
      case 'synced': {
        this.syncing.delete(e.room);
        if (e.id) this.requests.delete(e.id);
        if (e.limited) void this.requestHistory(e.room, 'reload');
        return;
      }
      case 'history':
        return this.onHistory(e);
      case 'error':
        return this.onError(e);
    }
  }

  private onReady(e: ReadyEvent): void {
    // Keep exactly the rooms the server lists (with our read markers where they are ahead).
    const fresh: RoomMap = {};
    for (const r of e.rooms) {
      const old = this.state.rooms[r.id];
      fresh[r.id] = old ? (upsertRoom({ [r.id]: old }, r)[r.id] ?? r) : r;
    }
    const conversations: Record<string, Conversation> = {};
    for (const [id, c] of Object.entries(this.state.conversations)) if (fresh[id]) conversations[id] = c;
    const activeRoomId = this.state.activeRoomId && fresh[this.state.activeRoomId] ? this.state.activeRoomId : null;
    const focus = this.state.focus && fresh[this.state.focus.room] ? this.state.focus : null;
    this.set({
      me: e.user,
      ready: true,
      rooms: fresh,
      presence: presenceFromList(e.presence),
      conversations,
      activeRoomId,
      focus,
    });

    // Resume: ask for what we missed in every room we have loaded.
    const since: Record<string, number> = {};
    for (const [id, c] of Object.entries(conversations)) {
      if (!c.loaded) continue;
      since[id] = highestContiguousSeq(c.messages) ?? 0;
    }
    if (Object.keys(since).length > 0) {
      const id = this.socket.nextId();
      this.requests.set(id, { kind: 'sync' });
      for (const r of Object.keys(since)) this.syncing.add(r);
      this.socket.send({ type: 'sync', id, rooms: since });
    }
    // Read markers that moved while offline.
    for (const [room, seq] of this.pendingReads) {
      if (fresh[room]) this.socket.send({ type: 'read', room, seq });
    }
    this.pendingReads.clear();
    // The open room may not be loaded yet (opened while offline).
    if (activeRoomId && !conversations[activeRoomId]?.loaded) void this.requestHistory(activeRoomId, 'initial');
    // Resend what the server never acknowledged, with the same clientMsgId (it deduplicates).
    for (const [room, c] of Object.entries(conversations)) {
      for (const m of pendingMessages(c.messages)) this.transmit(room, m);
    }
  }

  private onMessage(m: WireMessage): void {
    const me = this.state.me;
    const room = this.state.rooms[m.room];
    const patch: Partial<ChatState> = {};
    if (room) {
      const next = applyMessageToRoom(room, m, me.id);
      if (next !== room) patch.rooms = { ...this.state.rooms, [m.room]: next };
    }
    const conv = this.state.conversations[m.room];
    if (conv) {
      patch.conversations = {
        ...this.state.conversations,
        [m.room]: { ...conv, messages: mergeMessages(conv.messages, [m]) },
      };
    }
    const typingInRoom = this.state.typing[m.room];
    if (typingInRoom?.[m.sender.id]) {
      const rest = { ...typingInRoom };
      delete rest[m.sender.id];
      patch.typing = { ...this.state.typing, [m.room]: rest };
    }
    if (m.clientMsgId && m.sender.id === me.id) {
      const t = this.ackTimers.get(m.clientMsgId);
      if (t) clearTimeout(t);
      this.ackTimers.delete(m.clientMsgId);
    }
    if (Object.keys(patch).length > 0) this.set(patch);

    const isNew = !room || m.seq > room.lastSeq;
    if (
      isNew &&
      m.sender.id !== me.id &&
      !m.deleted &&
      !this.syncing.has(m.room) &&
      (this.options.isHidden?.() ?? false)
    ) {
      const r = this.state.rooms[m.room];
      const isDm = r?.kind === 'dm';
      if (isDm || mentions(m.body, me.username)) {
        const title = isDm ? nameOf(m.sender) : `${nameOf(m.sender)} in ${r?.name ?? 'a room'}`;
        const body = m.body.length > 200 ? `${m.body.slice(0, 199)}…` : m.body;
        this.options.notifier?.notify(title, body, m.room, () => this.openRoom(m.room));
      }
    }
  }

  private onTyping(room: string, user: User, active: boolean): void {
    if (user.id === this.state.me.id) return;
    const current = this.state.typing[room] ?? {};
    const next = { ...current };
    if (active) {
      next[user.id] = { user, expiresAt: this.now() + TYPING_EXPIRY_MS };
      this.later(() => this.pruneTyping(), TYPING_EXPIRY_MS + 20);
    } else {
      if (!current[user.id]) return;
      delete next[user.id];
    }
    this.set({ typing: { ...this.state.typing, [room]: next } });
  }

  /** Drops remote typists whose last `active:true` is older than 6 s. */
  pruneTyping(): void {
    const now = this.now();
    let changed = false;
    const typing: ChatState['typing'] = {};
    for (const [room, entries] of Object.entries(this.state.typing)) {
      const kept: Record<string, TypingEntry> = {};
      for (const [uid, t] of Object.entries(entries)) {
        if (t.expiresAt > now) kept[uid] = t;
        else changed = true;
      }
      typing[room] = kept;
    }
    if (changed) this.set({ typing });
  }

  private onHistory(e: HistoryEvent): void {
    const req = e.id ? this.requests.get(e.id) : undefined;
    if (e.id) this.requests.delete(e.id);
    const mode: HistoryMode = req?.kind === 'history' ? req.mode : 'older';
    this.historyInFlight.delete(`${e.room}:${mode}`);
    if (!this.state.rooms[e.room] && !this.state.conversations[e.room]) {
      if (req?.kind === 'history') for (const d of req.done) d();
      return;
    }
    this.applyPage(e.room, mode, { messages: e.messages, hasMore: e.hasMore });
    if (req?.kind === 'history') for (const d of req.done) d();
  }

  private applyPage(room: string, mode: HistoryMode, page: Page): void {
    this.setConversation(room, (c) => {
      if (mode === 'reload') {
        return {
          ...c,
          messages: replaceWithPage(c.messages, page.messages),
          hasMore: page.hasMore,
          loaded: true,
          loadingOlder: false,
        };
      }
      const messages = mergeMessages(c.messages, page.messages);
      // Only the page that reaches furthest back decides whether more exists.
      const hasMore = mode === 'older' || !c.loaded ? page.hasMore : c.hasMore;
      return { ...c, messages, hasMore, loaded: true, loadingOlder: false };
    });
  }

  private onError(e: ErrorEvent): void {
    const req = e.id ? this.requests.get(e.id) : undefined;
    if (e.id) this.requests.delete(e.id);
    const text = describeError(e);
    if (!req) {
      this.notice(text, 'error');
      return;
    }
    switch (req.kind) {
      case 'send': {
        const t = this.ackTimers.get(req.clientMsgId);
        if (t) clearTimeout(t);
        this.ackTimers.delete(req.clientMsgId);
        this.setConversation(req.room, (c) => ({ ...c, messages: markFailed(c.messages, req.clientMsgId, text) }));
        return;
      }
      case 'history':
        this.historyInFlight.delete(`${req.room}:${req.mode}`);
        this.setConversation(req.room, (c) => ({ ...c, loadingOlder: false, loaded: true }));
        for (const d of req.done) d();
        this.notice(`Could not load messages: ${text}`, 'error');
        return;
      case 'edit':
        this.notice(`Could not edit the message: ${text}`, 'error');
        return;
      case 'delete':
        this.notice(`Could not delete the message: ${text}`, 'error');
        return;
      case 'react':
        this.notice(`Could not react: ${text}`, 'error');
        return;
      case 'sync':
        this.notice(`Could not catch up: ${text}`, 'error');
        return;
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  notice(text: string, tone: Notice['tone'] = 'info'): void {
    this.noticeSeq += 1;
    const id = this.noticeSeq;
    this.set({ notices: [...this.state.notices, { id, text, tone }].slice(-4) });
    this.later(() => this.dismissNotice(id), 6000);
  }

  dismissNotice(id: number): void {
    if (!this.state.notices.some((n) => n.id === id)) return;
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  openRoom(id: string | null): void {
    const previous = this.state.activeRoomId;
    if (previous && previous !== id) this.typingSenders.get(previous)?.stop();
    const focus = this.state.focus && this.state.focus.room !== id ? null : this.state.focus;
    if (previous !== id || focus !== this.state.focus) this.set({ activeRoomId: id, focus });
    if (id && !this.state.conversations[id]?.loaded) void this.requestHistory(id, 'initial');
  }

  /**
   * Opens `room` and brings message `messageId` (seq `seq`) into view: waits for the room's newest
   * page, then pages back with `history` until the message is loaded. The open room's list scrolls
   * to it and highlights it while `focus` names it (see MessageList), then calls clearFocus.
   * Resolves true when the message is loaded; false (with a notice) when it is not there.
   */
  async showMessage(room: string, messageId: string, seq: number): Promise<boolean> {
    if (!this.state.rooms[room]) {
      this.notice('That conversation is no longer in your list.', 'error');
      return false;
    }
    this.focusSeq += 1;
    const token = this.focusSeq;
    this.openRoom(room);
    this.set({ focus: { room, messageId, seq, token } });
    const current = () => this.state.focus?.token === token;
    const loaded = () => !!findByMessageId(this.state.conversations[room]?.messages ?? [], messageId);
    await this.whenLoaded(room);
    if (!current()) return loaded();
    if (!loaded()) await this.loadUntil(room, seq);
    if (!current()) return loaded();
    if (!loaded()) {
      this.set({ focus: null });
      this.notice(
        this.state.conversations[room]?.loaded
          ? 'That message is no longer there.'
          : 'Could not load that conversation. Try again.',
        'error',
      );
      return false;
    }
    return true;
  }

  /** The list showed the focused message (or gave up): forget it, unless a newer one replaced it. */
  clearFocus(token: number): void {
    if (this.state.focus?.token === token) this.set({ focus: null });
  }

  /** Resolves true once `room`'s first page is loaded, false if it is left or it takes too long. */
  private whenLoaded(room: string): Promise<boolean> {
    if (this.state.conversations[room]?.loaded) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const finish = (ok: boolean) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(ok);
      };
      const unsubscribe = this.subscribe(() => {
        if (this.state.conversations[room]?.loaded) finish(true);
        else if (!this.state.rooms[room]) finish(false);
      });
      const timer = this.later(() => finish(false), this.loadTimeoutMs);
    });
  }

  /** Loads the page before the oldest loaded message; resolves when it arrived (or failed). */
  loadOlder(room: string): Promise<void> {
    const c = this.state.conversations[room];
    if (!c?.loaded || !c.hasMore || c.loadingOlder) return Promise.resolve();
    return this.requestHistory(room, 'older');
  }

  /** Pages back until `seq` is loaded, the room's start is reached, or nothing moves. */
  async loadUntil(room: string, seq: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const c = this.state.conversations[room];
      const low = c ? lowestSeq(c.messages) : null;
      if (!c?.loaded || low === null || low <= seq || !c.hasMore) return;
      if (c.loadingOlder) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      await this.requestHistory(room, 'older', MAX_HISTORY_LIMIT);
      const after = this.state.conversations[room];
      if (!after || lowestSeq(after.messages) === low) return;
    }
  }

  private requestHistory(room: string, mode: HistoryMode, limit: number = this.pageSize): Promise<void> {
    const flightKey = `${room}:${mode}`;
    if (this.historyInFlight.has(flightKey)) return Promise.resolve();
    const c = this.state.conversations[room];
    const before = mode === 'older' && c ? (lowestSeq(c.messages) ?? undefined) : undefined;
    if (mode === 'older') this.setConversation(room, (conv) => ({ ...conv, loadingOlder: true }));
    else if (!c) this.set({ conversations: { ...this.state.conversations, [room]: { ...emptyConversation } } });
    return new Promise<void>((resolve) => {
      if (this.socket.isOnline) {
        const id = this.socket.nextId();
        this.historyInFlight.add(flightKey);
        this.requests.set(id, { kind: 'history', room, mode, done: [resolve] });
        const cmd: ClientCommand = { type: 'history', id, room, limit };
        if (before !== undefined) cmd.before = before;
        if (this.socket.send(cmd)) return;
        this.requests.delete(id);
        this.historyInFlight.delete(flightKey);
      }
      const fetchPage = this.options.fetchPage;
      if (!fetchPage) {
        if (mode === 'older') this.setConversation(room, (conv) => ({ ...conv, loadingOlder: false }));
        resolve();
        return;
      }
      this.historyInFlight.add(flightKey);
      fetchPage(room, before, limit).then(
        (page) => {
          this.historyInFlight.delete(flightKey);
          if (this.state.rooms[room] || this.state.conversations[room]) this.applyPage(room, mode, page);
          resolve();
        },
        () => {
          this.historyInFlight.delete(flightKey);
          if (mode === 'older') this.setConversation(room, (conv) => ({ ...conv, loadingOlder: false }));
          resolve();
        },
      );
    });
  }

  /** Queues a message; returns false for an empty or too long body. */
  sendMessage(room: string, body: string, replyTo?: string | null): boolean {
    const text = body.trim();
    if (!text || text.length > MAX_BODY_CHARS) return false;
    this.typingSenders.get(room)?.stop();
    const pending = makePending({
      room,
      clientMsgId: newClientMsgId(),
      sender: this.state.me,
      body: text,
      replyTo: replyTo ?? null,
      ts: new Date(this.now()).toISOString(),
    });
    this.setConversation(room, (c) => ({ ...c, messages: addPending(c.messages, pending) }));
    this.transmit(room, pending);
    return true;
  }

  /** Sends a failed message again with the same clientMsgId. */
  retry(room: string, clientMsgId: string): void {
    const c = this.state.conversations[room];
    const m = c?.messages.find((x) => x.clientMsgId === clientMsgId && x.status === 'failed');
    if (!m) return;
    this.setConversation(room, (conv) => ({ ...conv, messages: markPending(conv.messages, clientMsgId) }));
    this.transmit(room, { ...m, status: 'pending' });
  }

  /** Forgets a failed message. */
  discard(room: string, clientMsgId: string): void {
    this.setConversation(room, (c) => ({ ...c, messages: removeUnconfirmed(c.messages, clientMsgId) }));
  }

  private transmit(room: string, m: ChatMessage): void {
    if (!m.clientMsgId || !this.socket.isOnline) return; // resent after the next `ready`
    const id = this.socket.nextId();
    const cmd: ClientCommand = { type: 'send', id, room, clientMsgId: m.clientMsgId, body: m.body };
    if (m.replyTo) cmd.replyTo = m.replyTo;
    this.requests.set(id, { kind: 'send', room, clientMsgId: m.clientMsgId });
    if (!this.socket.send(cmd)) {
      this.requests.delete(id);
      return;
    }
    const clientMsgId = m.clientMsgId;
    const old = this.ackTimers.get(clientMsgId);
    if (old) clearTimeout(old);
    this.ackTimers.set(
      clientMsgId,
      setTimeout(() => {
        this.ackTimers.delete(clientMsgId);
        this.requests.delete(id);
        this.setConversation(room, (c) => ({
          ...c,
          messages: markFailed(c.messages, clientMsgId, 'No answer from the server.'),
        }));
      }, this.ackTimeoutMs),
    );
  }

  private command(kind: 'edit' | 'delete' | 'react', room: string, build: (id: string) => ClientCommand): boolean {
    if (!this.socket.isOnline) {
      this.notice('You are offline. Try again when the connection is back.', 'error');
      return false;
    }
    const id = this.socket.nextId();
    this.requests.set(id, { kind, room });
    if (!this.socket.send(build(id))) {
      this.requests.delete(id);
      this.notice('You are offline. Try again when the connection is back.', 'error');
      return false;
    }
    return true;
  }

  editMessage(room: string, messageId: string, body: string): boolean {
    const text = body.trim();
    if (!text || text.length > MAX_BODY_CHARS) return false;
    return this.command('edit', room, (id) => ({ type: 'edit', id, room, messageId, body: text }));
  }

  deleteMessage(room: string, messageId: string): boolean {
    return this.command('delete', room, (id) => ({ type: 'delete', id, room, messageId }));
  }

  react(room: string, messageId: string, emoji: string, on: boolean): boolean {
    return this.command('react', room, (id) => ({ type: 'react', id, room, messageId, emoji, on }));
  }

  /** The composer changed: maybe send `typing active:true`. */
  typingInput(room: string): void {
    this.typingSender(room).input();
  }

  /** The composer emptied or lost the room. */
  typingStop(room: string): void {
    this.typingSenders.get(room)?.stop();
  }

  private typingSender(room: string): TypingSender {
    let s = this.typingSenders.get(room);
    if (!s) {
      s = new TypingSender((active) => {
        this.socket.send({ type: 'typing', room, active });
      });
      this.typingSenders.set(room, s);
    }
    return s;
  }

  /** I have seen everything up to `seq` in `room` (the tab is visible). */
  markRead(room: string, seq: number): void {
    const r = this.state.rooms[room];
    if (!r || seq <= r.lastReadSeq) return;
    this.applyMyRead(room, seq);
    if (!this.socket.send({ type: 'read', room, seq })) this.pendingReads.set(room, seq);
  }

  private applyMyRead(room: string, seq: number): void {
    const r = this.state.rooms[room];
    if (!r) return;
    const next = applyReadToRoom(r, seq, this.state.conversations[room]?.messages, this.state.me.id);
    if (next !== r) this.set({ rooms: { ...this.state.rooms, [room]: next } });
  }

  /** A room summary from an HTTP answer (created, joined, DM opened). */
  upsertRoom(summary: RoomSummary): void {
    this.set({ rooms: upsertRoom(this.state.rooms, summary) });
  }

  /** I left or was removed. */
  forgetRoom(id: string): void {
    const conversations = { ...this.state.conversations };
    delete conversations[id];
    const typing = { ...this.state.typing };
    delete typing[id];
    this.typingSenders.get(id)?.stop();
    this.typingSenders.delete(id);
    this.set({
      rooms: removeRoom(this.state.rooms, id),
      conversations,
      typing,
      activeRoomId: this.state.activeRoomId === id ? null : this.state.activeRoomId,
      focus: this.state.focus?.room === id ? null : this.state.focus,
    });
  }
}
