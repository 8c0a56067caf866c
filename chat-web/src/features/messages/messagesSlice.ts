// The conversations of a session: the loaded messages of every opened room, which room is open,
// the message to bring into view; sending (pending -> sent / failed, resent after `ready`),
// history paging (socket, or HTTP while it is down), edit / delete / react, and the resume `sync`.
// Every list change goes through the pure functions of messageStore.ts.

import { describeError } from '../../lib/errorText';
import { newClientMsgId } from '../../lib/ids';
import type { PostNotice } from '../../lib/notice';
import {
  MAX_BODY_CHARS,
  MAX_HISTORY_LIMIT,
  type AckEvent,
  type ClientCommand,
  type ErrorEvent,
  type FileInfo,
  type HistoryEvent,
  type MessageUpdatedEvent,
  type RoomSummary,
  type SyncedEvent,
  type User,
  type WireMessage,
} from '../../lib/protocol';
import type { ChatSocket } from '../../lib/socket';
import type { SliceStore } from '../../lib/store';
import type { Timers } from '../../lib/timers';
import type { Page } from './messagesApi';
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
} from './messageStore';
import type { TypingSlice } from './typingSlice';

/** A message to bring into view and highlight (a search hit that was clicked). */
export interface MessageFocus {
  room: string;
  messageId: string;
  seq: number;
  /** Tells apart two requests for the same message. */
  token: number;
}

export interface MessagesState {
  conversations: Record<string, Conversation>;
  activeRoomId: string | null;
  /** The message the open room should scroll to and highlight, if any. */
  focus: MessageFocus | null;
}

export const initialMessagesState: MessagesState = { conversations: {}, activeRoomId: null, focus: null };

/** What this slice reads from the rest of the session's state. */
export interface MessagesReads {
  me: User;
  rooms: Record<string, RoomSummary>;
}

export interface MessagesOptions {
  /** HTTP fallback for history while the socket is down. */
  fetchPage?: ((room: string, before: number | undefined, limit: number) => Promise<Page>) | undefined;
  now: () => number;
  /** How long a send may wait for its ack before it shows as failed. */
  ackTimeoutMs: number;
  /** How long showMessage waits for a room's first page. */
  loadTimeoutMs: number;
  pageSize: number;
}

type HistoryMode = 'initial' | 'older' | 'reload';

/** A command waiting for its answer (`ack`, `ok`, `history`, `synced` or `error` with its id). */
type Request =
  | { kind: 'send'; room: string; clientMsgId: string }
  | { kind: 'history'; room: string; mode: HistoryMode; done: Array<() => void> }
  | { kind: 'edit' | 'delete' | 'react'; room: string }
  | { kind: 'sync' };

const OFFLINE = 'You are offline. Try again when the connection is back.';

export class MessagesSlice {
  private readonly requests = new Map<string, Request>();
  private readonly ackTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly syncing = new Set<string>();
  private readonly historyInFlight = new Set<string>();
  private focusSeq = 0;

  constructor(
    private readonly store: SliceStore<MessagesState, MessagesReads>,
    private readonly socket: ChatSocket,
    private readonly timers: Timers,
    private readonly typing: TypingSlice,
    private readonly notice: PostNotice,
    private readonly options: MessagesOptions,
  ) {}

  private get state() {
    return this.store.getState();
  }

  private setConversation(room: string, update: (c: Conversation) => Conversation): void {
    const current = this.state.conversations[room] ?? emptyConversation;
    const next = update(current);
    if (next === current) return;
    this.store.set({ conversations: { ...this.state.conversations, [room]: next } });
  }

  private clearAckTimer(clientMsgId: string): void {
    const t = this.ackTimers.get(clientMsgId);
    if (t) clearTimeout(t);
    this.ackTimers.delete(clientMsgId);
  }

  /** The room's loaded messages, if it was opened. */
  loadedMessages(room: string): readonly ChatMessage[] | undefined {
    return this.state.conversations[room]?.messages;
  }

  /** Whether `room` is catching up after a reconnect (its replayed messages are not news). */
  isSyncing(room: string): boolean {
    return this.syncing.has(room);
  }

  // ---- connection ----------------------------------------------------------------------------

  /**
   * The connection is not online. Requests on a dead connection are never answered: pending
   * sends stay pending (they are resent after `ready`), history requests are retried.
   */
  connectionLost(): void {
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
    if (changed) this.store.set({ conversations: convs });
  }

  /** `ready` (after the rooms took the server's list): forget what belongs to rooms I left. */
  onReady(): void {
    const rooms = this.state.rooms;
    const conversations: Record<string, Conversation> = {};
    for (const [id, c] of Object.entries(this.state.conversations)) if (rooms[id]) conversations[id] = c;
    const { activeRoomId, focus } = this.state;
    this.store.set({
      conversations,
      activeRoomId: activeRoomId && rooms[activeRoomId] ? activeRoomId : null,
      focus: focus && rooms[focus.room] ? focus : null,
    });
  }

  /** After `ready`: ask for what was missed in every loaded room. */
  sync(): void {
    const since: Record<string, number> = {};
    for (const [id, c] of Object.entries(this.state.conversations)) {
      if (!c.loaded) continue;
      since[id] = highestContiguousSeq(c.messages) ?? 0;
    }
    if (Object.keys(since).length === 0) return;
    const id = this.socket.nextId();
    this.requests.set(id, { kind: 'sync' });
    for (const r of Object.keys(since)) this.syncing.add(r);
    this.socket.send({ type: 'sync', id, rooms: since });
  }

  /**
   * After `ready` and sync: load the open room if it is not loaded yet (opened while offline), and
   * resend what the server never acknowledged, with the same clientMsgId (it deduplicates).
   */
  resume(): void {
    const { activeRoomId, conversations } = this.state;
    if (activeRoomId && !conversations[activeRoomId]?.loaded) void this.requestHistory(activeRoomId, 'initial');
    for (const [room, c] of Object.entries(conversations)) {
      for (const m of pendingMessages(c.messages)) this.transmit(room, m);
    }
  }

  stop(): void {
    for (const t of this.ackTimers.values()) clearTimeout(t);
    this.ackTimers.clear();
    this.requests.clear();
    this.historyInFlight.clear();
  }

  // ---- server events -------------------------------------------------------------------------

  onMessage(m: WireMessage): void {
    const conv = this.state.conversations[m.room];
    if (conv) {
      this.store.set({
        conversations: {
          ...this.state.conversations,
          [m.room]: { ...conv, messages: mergeMessages(conv.messages, [m]) },
        },
      });
    }
    if (m.clientMsgId && m.sender.id === this.state.me.id) this.clearAckTimer(m.clientMsgId);
  }

  onAck(e: AckEvent): void {
    this.clearAckTimer(e.clientMsgId);
    if (e.id) this.requests.delete(e.id);
    if (this.state.conversations[e.room]) {
      this.setConversation(e.room, (c) => ({ ...c, messages: applyAck(c.messages, e) }));
    }
  }

  onUpdate(e: MessageUpdatedEvent): void {
    if (this.state.conversations[e.room]) {
      this.setConversation(e.room, (c) => ({ ...c, messages: applyUpdate(c.messages, e) }));
    }
  }

  onOk(id: string): void {
    this.requests.delete(id);
  }

  onSynced(e: SyncedEvent): void {
    this.syncing.delete(e.room);
    if (e.id) this.requests.delete(e.id);
    if (e.limited) void this.requestHistory(e.room, 'reload');
  }

  onHistory(e: HistoryEvent): void {
    const req = e.id ? this.requests.get(e.id) : undefined;
    if (e.id) this.requests.delete(e.id);
    const mode: HistoryMode = req?.kind === 'history' ? req.mode : 'older';
    this.historyInFlight.delete(`${e.room}:${mode}`);
    if (this.state.rooms[e.room] || this.state.conversations[e.room]) {
      this.applyPage(e.room, mode, { messages: e.messages, hasMore: e.hasMore });
    }
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

  /** An `error`: the failed request says what went wrong; one without a request is a notice. */
  onError(e: ErrorEvent): void {
    const req = e.id ? this.requests.get(e.id) : undefined;
    if (e.id) this.requests.delete(e.id);
    const text = describeError(e);
    if (!req) {
      this.notice(text, 'error');
      return;
    }
    switch (req.kind) {
      case 'send':
        this.clearAckTimer(req.clientMsgId);
        this.setConversation(req.room, (c) => ({ ...c, messages: markFailed(c.messages, req.clientMsgId, text) }));
        return;
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

  // ---- opening rooms and finding messages ----------------------------------------------------

  openRoom(id: string | null): void {
    const { activeRoomId: previous, focus: oldFocus } = this.state;
    if (previous && previous !== id) this.typing.stop(previous);
    const focus = oldFocus && oldFocus.room !== id ? null : oldFocus;
    if (previous !== id || focus !== oldFocus) this.store.set({ activeRoomId: id, focus });
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
    this.store.set({ focus: { room, messageId, seq, token } });
    const current = () => this.state.focus?.token === token;
    const loaded = () => !!findByMessageId(this.state.conversations[room]?.messages ?? [], messageId);
    await this.whenLoaded(room);
    if (!current()) return loaded();
    if (!loaded()) await this.loadUntil(room, seq);
    if (!current()) return loaded();
    if (!loaded()) {
      this.store.set({ focus: null });
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
    if (this.state.focus?.token === token) this.store.set({ focus: null });
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
        this.timers.cancel(timer);
        resolve(ok);
      };
      const unsubscribe = this.store.subscribe(() => {
        if (this.state.conversations[room]?.loaded) finish(true);
        else if (!this.state.rooms[room]) finish(false);
      });
      const timer = this.timers.later(() => finish(false), this.options.loadTimeoutMs);
    });
  }

  /** I left or was removed: forget the room's messages, and close it if it was open. */
  forget(id: string): void {
    const conversations = { ...this.state.conversations };
    delete conversations[id];
    const { activeRoomId, focus } = this.state;
    this.store.set({
      conversations,
      activeRoomId: activeRoomId === id ? null : activeRoomId,
      focus: focus?.room === id ? null : focus,
    });
  }

  // ---- history -------------------------------------------------------------------------------

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

  private requestHistory(room: string, mode: HistoryMode, limit: number = this.options.pageSize): Promise<void> {
    const flightKey = `${room}:${mode}`;
    if (this.historyInFlight.has(flightKey)) return Promise.resolve();
    const c = this.state.conversations[room];
    const before = mode === 'older' && c ? (lowestSeq(c.messages) ?? undefined) : undefined;
    if (mode === 'older') this.setConversation(room, (conv) => ({ ...conv, loadingOlder: true }));
    else if (!c) this.store.set({ conversations: { ...this.state.conversations, [room]: { ...emptyConversation } } });
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

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Queues a message with uploaded `files`; returns false for a too long body, or an empty one
   * without files.
   */
  sendMessage(room: string, body: string, replyTo?: string | null, files: FileInfo[] = []): boolean {
    const text = body.trim();
    if ((!text && files.length === 0) || text.length > MAX_BODY_CHARS) return false;
    this.typing.stop(room);
    const pending = makePending({
      room,
      clientMsgId: newClientMsgId(),
      sender: this.state.me,
      body: text,
      replyTo: replyTo ?? null,
      ts: new Date(this.options.now()).toISOString(),
      files,
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
    if (m.files.length > 0) cmd.files = m.files.map((f) => f.id);
    this.requests.set(id, { kind: 'send', room, clientMsgId: m.clientMsgId });
    if (!this.socket.send(cmd)) {
      this.requests.delete(id);
      return;
    }
    const clientMsgId = m.clientMsgId;
    this.clearAckTimer(clientMsgId);
    this.ackTimers.set(
      clientMsgId,
      setTimeout(() => {
        this.ackTimers.delete(clientMsgId);
        this.requests.delete(id);
        this.setConversation(room, (c) => ({
          ...c,
          messages: markFailed(c.messages, clientMsgId, 'No answer from the server.'),
        }));
      }, this.options.ackTimeoutMs),
    );
  }

  // ---- edit, delete, react -------------------------------------------------------------------

  private command(kind: 'edit' | 'delete' | 'react', room: string, build: (id: string) => ClientCommand): boolean {
    if (!this.socket.isOnline) {
      this.notice(OFFLINE, 'error');
      return false;
    }
    const id = this.socket.nextId();
    this.requests.set(id, { kind, room });
    if (!this.socket.send(build(id))) {
      this.requests.delete(id);
      this.notice(OFFLINE, 'error');
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
}
