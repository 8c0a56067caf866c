// Typing state of a session: who else is typing where (expires 6 s after their last
// `active:true`), and my own throttled `typing` commands, one TypingSender per room.

import type { User } from '../../lib/protocol';
import type { ChatSocket } from '../../lib/socket';
import type { SliceStore } from '../../lib/store';
import type { Timers } from '../../lib/timers';
import { TYPING_EXPIRY_MS, TypingSender, type TypingEntry } from './typing';

export interface TypingState {
  /** room id -> user id -> entry */
  typing: Record<string, Record<string, TypingEntry>>;
}

export const initialTypingState: TypingState = { typing: {} };

export class TypingSlice {
  private readonly senders = new Map<string, TypingSender>();

  constructor(
    private readonly store: SliceStore<TypingState, { me: User }>,
    private readonly socket: ChatSocket,
    private readonly timers: Timers,
    private readonly now: () => number,
  ) {}

  /** A `typing` event. Mine (from another device) is not shown. */
  onTyping(room: string, user: User, active: boolean): void {
    const state = this.store.getState();
    if (user.id === state.me.id) return;
    const current = state.typing[room] ?? {};
    const next = { ...current };
    if (active) {
      next[user.id] = { user, expiresAt: this.now() + TYPING_EXPIRY_MS };
      this.timers.later(() => this.prune(), TYPING_EXPIRY_MS + 20);
    } else {
      if (!current[user.id]) return;
      delete next[user.id];
    }
    this.store.set({ typing: { ...state.typing, [room]: next } });
  }

  /** Whoever sent a message has stopped typing it. */
  onMessage(room: string, senderId: string): void {
    const typing = this.store.getState().typing;
    const inRoom = typing[room];
    if (!inRoom?.[senderId]) return;
    const rest = { ...inRoom };
    delete rest[senderId];
    this.store.set({ typing: { ...typing, [room]: rest } });
  }

  /** Drops remote typists whose last `active:true` is older than 6 s. */
  prune(): void {
    const now = this.now();
    let changed = false;
    const typing: TypingState['typing'] = {};
    for (const [room, entries] of Object.entries(this.store.getState().typing)) {
      const kept: Record<string, TypingEntry> = {};
      for (const [uid, t] of Object.entries(entries)) {
        if (t.expiresAt > now) kept[uid] = t;
        else changed = true;
      }
      typing[room] = kept;
    }
    if (changed) this.store.set({ typing });
  }

  /** The composer changed: maybe send `typing active:true`. */
  input(room: string): void {
    let s = this.senders.get(room);
    if (!s) {
      s = new TypingSender((active) => {
        this.socket.send({ type: 'typing', room, active });
      });
      this.senders.set(room, s);
    }
    s.input();
  }

  /** The composer emptied, the message was sent, or the room was left: `typing active:false`. */
  stop(room: string): void {
    this.senders.get(room)?.stop();
  }

  /** The room is gone: forget its typists and my sender. */
  forget(room: string): void {
    const typing = { ...this.store.getState().typing };
    delete typing[room];
    this.senders.get(room)?.stop();
    this.senders.delete(room);
    this.store.set({ typing });
  }

  stopAll(): void {
    for (const s of this.senders.values()) s.stop();
    this.senders.clear();
  }
}
