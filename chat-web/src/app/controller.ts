// The chat session of one signed-in user. It owns the one ChatSocket and the store the UI renders,
// and composes the feature slices: each feature owns its part of the state and its handlers
// (rooms, presence, messages, typing), this class routes server events to them and adds what
// spans features (`ready`, a new message, leaving a room, the connection going down).
// React subscribes with useSyncExternalStore (see useChat.ts); tests drive it with a fake socket.

import {
  MAX_HISTORY_LIMIT,
  type ReadyEvent,
  type RoomSummary,
  type ServerEvent,
  type User,
  type WireMessage,
} from '../lib/protocol';
import type { NoticeTone } from '../lib/notice';
import { ChatSocket, type ChatSocketOptions, type ConnectionState } from '../lib/socket';
import { Store } from '../lib/store';
import { Timers } from '../lib/timers';
import { uploadFile as httpUploadFile, type UploadFile } from '../features/files/filesApi';
import { initialUploadsState, UploadsSlice, type UploadsState } from '../features/files/uploadsSlice';
import type { ConversationController } from '../features/messages/Conversation';
import type { Page } from '../features/messages/messagesApi';
import { initialMessagesState, MessagesSlice, type MessagesState } from '../features/messages/messagesSlice';
import { initialTypingState, TypingSlice, type TypingState } from '../features/messages/typingSlice';
import { notificationFor, type Notifier } from '../features/notifications/notifications';
import { initialPresenceState, PresenceSlice, type PresenceState } from '../features/presence/presenceSlice';
import { initialRoomsState, RoomsSlice, type RoomsState } from '../features/rooms/roomsSlice';
import { initialNoticesState, NoticesSlice, type NoticesState } from './noticesSlice';

export interface SessionState {
  me: User;
  connection: ConnectionState;
  /** The first `ready` arrived (the sidebar is filled). */
  ready: boolean;
}

export type ChatState = SessionState &
  RoomsState &
  PresenceState &
  MessagesState &
  TypingState &
  UploadsState &
  NoticesState;

export interface ControllerOptions {
  me: User;
  socket?: ChatSocket;
  socketOptions?: ChatSocketOptions;
  /** HTTP fallback for history while the socket is down. */
  fetchPage?: (room: string, before: number | undefined, limit: number) => Promise<Page>;
  notifier?: Notifier;
  /** POST /api/rooms/{id}/files by default. */
  uploadFile?: UploadFile;
  isHidden?: () => boolean;
  now?: () => number;
  onSignedOut?: () => void;
  /** How long a send may wait for its ack before it shows as failed. */
  ackTimeoutMs?: number;
  /** How long showMessage waits for a room's first page. */
  loadTimeoutMs?: number;
  pageSize?: number;
}

export class ChatController implements ConversationController {
  readonly socket: ChatSocket;
  readonly getState: () => ChatState;
  readonly subscribe: (listener: () => void) => () => void;
  private readonly store: Store<ChatState>;
  private readonly timers = new Timers();
  private readonly notices: NoticesSlice;
  private readonly rooms: RoomsSlice;
  private readonly presence: PresenceSlice;
  private readonly typing: TypingSlice;
  private readonly messages: MessagesSlice;
  private readonly uploads: UploadsSlice;
  private unsubscribers: Array<() => void> = [];

  constructor(private readonly options: ControllerOptions) {
    this.socket = options.socket ?? new ChatSocket(options.socketOptions);
    const now = options.now ?? (() => Date.now());
    this.store = new Store<ChatState>({
      me: options.me,
      connection: 'connecting',
      ready: false,
      ...initialRoomsState,
      ...initialPresenceState,
      ...initialMessagesState,
      ...initialTypingState,
      ...initialUploadsState,
      ...initialNoticesState,
    });
    this.getState = this.store.getState;
    this.subscribe = this.store.subscribe;
    this.notices = new NoticesSlice(this.store, this.timers);
    this.presence = new PresenceSlice(this.store);
    this.typing = new TypingSlice(this.store, this.socket, this.timers, now);
    this.messages = new MessagesSlice(this.store, this.socket, this.timers, this.typing, this.notice, {
      fetchPage: options.fetchPage,
      now,
      ackTimeoutMs: options.ackTimeoutMs ?? 15_000,
      loadTimeoutMs: options.loadTimeoutMs ?? 20_000,
      pageSize: Math.min(options.pageSize ?? 50, MAX_HISTORY_LIMIT),
    });
    this.uploads = new UploadsSlice(this.store, options.uploadFile ?? httpUploadFile);
    this.rooms = new RoomsSlice(this.store, this.socket, (room) => this.messages.loadedMessages(room));
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  start(): void {
    this.unsubscribers.push(
      this.socket.onEvent((e) => this.handle(e)),
      this.socket.onState((s) => this.onConnection(s)),
    );
    const connection = this.socket.connectionState;
    this.store.set({ connection: connection === 'offline' ? 'connecting' : connection });
    this.socket.connect();
  }

  stop(): void {
    for (const u of this.unsubscribers) u();
    this.unsubscribers = [];
    this.typing.stopAll();
    this.socket.close();
    this.timers.clear();
    this.messages.stop();
    this.uploads.stop();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  private onConnection(connection: ConnectionState): void {
    if (connection !== 'online') {
      this.store.batch(() => {
        this.messages.connectionLost();
        this.store.set({ connection });
      });
    } else {
      this.store.set({ connection });
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
      case 'ack':
        return this.messages.onAck(e);
      case 'messageUpdated':
        return this.store.batch(() => {
          this.rooms.onUpdate(e);
          this.messages.onUpdate(e);
        });
      case 'ok':
        return this.messages.onOk(e.id);
      case 'typing':
        return this.typing.onTyping(e.room, e.user, e.active);
      case 'presence':
        return this.presence.onPresence(e);
      case 'read':
        return this.rooms.onRead(e.room, e.user, e.seq);
      case 'room':
        return this.rooms.upsert(e.room);
      case 'roomLeft':
        return this.forgetRoom(e.room);
      case 'synced':
        return this.messages.onSynced(e);
      case 'history':
        return this.messages.onHistory(e);
      case 'error':
        return this.messages.onError(e);
    }
  }

  /** Takes the server's view (rooms I left are forgotten), then resumes where the last connection stopped. */
  private onReady(e: ReadyEvent): void {
    this.store.batch(() => {
      this.store.set({ me: e.user, ready: true });
      this.rooms.onReady(e.rooms);
      this.presence.onReady(e.presence);
      this.messages.onReady();
    });
    this.messages.sync();
    this.rooms.flushPendingReads();
    this.messages.resume();
  }

  private onMessage(m: WireMessage): void {
    const before = this.store.getState().rooms[m.room];
    this.store.batch(() => {
      this.rooms.onMessage(m);
      this.messages.onMessage(m);
      this.typing.onMessage(m.room, m.sender.id);
    });
    this.maybeNotify(m, before);
  }

  /** A desktop notification for news from someone else while the tab is hidden (not for a sync replay). */
  private maybeNotify(m: WireMessage, roomBefore: RoomSummary | undefined): void {
    const { me, rooms } = this.store.getState();
    const isNew = !roomBefore || m.seq > roomBefore.lastSeq;
    if (!isNew || m.sender.id === me.id || m.deleted || this.messages.isSyncing(m.room)) return;
    if (!(this.options.isHidden?.() ?? false)) return;
    const n = notificationFor(m, rooms[m.room], me);
    if (n) this.options.notifier?.notify(n.title, n.body, m.room, () => this.openRoom(m.room));
  }

  // ---- actions -------------------------------------------------------------------------------

  notice = (text: string, tone: NoticeTone = 'info'): void => this.notices.post(text, tone);

  dismissNotice(id: number): void {
    this.notices.dismiss(id);
  }

  openRoom(id: string | null): void {
    this.messages.openRoom(id);
  }

  /** Opens `room` at message `messageId` (see MessagesSlice.showMessage). */
  showMessage(room: string, messageId: string, seq: number): Promise<boolean> {
    return this.messages.showMessage(room, messageId, seq);
  }

  clearFocus(token: number): void {
    this.messages.clearFocus(token);
  }

  loadOlder(room: string): Promise<void> {
    return this.messages.loadOlder(room);
  }

  loadUntil(room: string, seq: number): Promise<void> {
    return this.messages.loadUntil(room, seq);
  }

  /** Sends the text with the files uploaded in the room's composer (which then leave it). */
  sendMessage(room: string, body: string, replyTo?: string | null): boolean {
    const ready = this.uploads.ready(room);
    const files = ready.flatMap((a) => (a.file ? [a.file] : []));
    let ok = false;
    this.store.batch(() => {
      ok = this.messages.sendMessage(room, body, replyTo, files);
      if (ok)
        this.uploads.sent(
          room,
          ready.map((a) => a.key),
        );
    });
    return ok;
  }

  /** Attaches files to the room's composer; they upload at once. */
  attachFiles(room: string, files: readonly File[]): void {
    if (files.length > 0) this.uploads.add(room, files);
  }

  /** Cancels an upload, or takes an attachment off the composer. */
  removeAttachment(room: string, key: string): void {
    this.uploads.remove(room, key);
  }

  retryAttachment(room: string, key: string): void {
    this.uploads.retry(room, key);
  }

  retry(room: string, clientMsgId: string): void {
    this.messages.retry(room, clientMsgId);
  }

  discard(room: string, clientMsgId: string): void {
    this.messages.discard(room, clientMsgId);
  }

  editMessage(room: string, messageId: string, body: string): boolean {
    return this.messages.editMessage(room, messageId, body);
  }

  deleteMessage(room: string, messageId: string): boolean {
    return this.messages.deleteMessage(room, messageId);
  }

  react(room: string, messageId: string, emoji: string, on: boolean): boolean {
    return this.messages.react(room, messageId, emoji, on);
  }

  typingInput(room: string): void {
    this.typing.input(room);
  }

  typingStop(room: string): void {
    this.typing.stop(room);
  }

  markRead(room: string, seq: number): void {
    this.rooms.markRead(room, seq);
  }

  /** A room summary from an HTTP answer (created, joined, DM opened). */
  upsertRoom(summary: RoomSummary): void {
    this.rooms.upsert(summary);
  }

  /** I left or was removed. */
  forgetRoom(id: string): void {
    this.store.batch(() => {
      this.messages.forget(id);
      this.typing.forget(id);
      this.uploads.forget(id);
      this.rooms.remove(id);
    });
  }
}
