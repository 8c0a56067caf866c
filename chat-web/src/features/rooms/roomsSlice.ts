// The sidebar's state in a session: my rooms (summaries, unread counts, read markers), kept up to
// date from server events, and my read markers (sent now, or after the next `ready` if offline).

import type { MessageUpdatedEvent, RoomSummary, User, WireMessage } from '../../lib/protocol';
import type { ChatSocket } from '../../lib/socket';
import type { SliceStore } from '../../lib/store';
import {
  applyMessageToRoom,
  applyReadToRoom,
  applyUpdateToRoom,
  removeRoom,
  upsertRoom,
  type RoomMap,
  type SeenMessage,
} from './roomsState';

export interface RoomsState {
  rooms: RoomMap;
}

export const initialRoomsState: RoomsState = { rooms: {} };

export class RoomsSlice {
  private readonly pendingReads = new Map<string, number>();

  /**
   * @param loadedMessages a room's loaded messages, if any: with them the unread count is
   *   recounted exactly when my read marker moves
   */
  constructor(
    private readonly store: SliceStore<RoomsState, { me: User }>,
    private readonly socket: ChatSocket,
    private readonly loadedMessages: (room: string) => readonly SeenMessage[] | undefined,
  ) {}

  private get rooms(): RoomMap {
    return this.store.getState().rooms;
  }

  private setRoom(id: string, before: RoomSummary, after: RoomSummary): void {
    if (after !== before) this.store.set({ rooms: { ...this.rooms, [id]: after } });
  }

  /** `ready`: keep exactly the rooms the server lists, with my read markers where they are ahead. */
  onReady(list: readonly RoomSummary[]): void {
    const fresh: RoomMap = {};
    for (const r of list) {
      const old = this.rooms[r.id];
      fresh[r.id] = old ? (upsertRoom({ [r.id]: old }, r)[r.id] ?? r) : r;
    }
    this.store.set({ rooms: fresh });
  }

  /** After `ready`: the read markers that moved while offline. */
  flushPendingReads(): void {
    for (const [room, seq] of this.pendingReads) {
      if (this.rooms[room]) this.socket.send({ type: 'read', room, seq });
    }
    this.pendingReads.clear();
  }

  onMessage(m: WireMessage): void {
    const room = this.rooms[m.room];
    if (room) this.setRoom(m.room, room, applyMessageToRoom(room, m, this.store.getState().me.id));
  }

  onUpdate(e: MessageUpdatedEvent): void {
    const room = this.rooms[e.room];
    if (room) this.setRoom(e.room, room, applyUpdateToRoom(room, e, this.store.getState().me.id));
  }

  /** A `read` event: only mine (another device) moves my marker. */
  onRead(room: string, user: User, seq: number): void {
    if (user.id === this.store.getState().me.id) this.applyMyRead(room, seq);
  }

  /** A room summary from the server (a `room` event, or an HTTP answer: created, joined, DM opened). */
  upsert(summary: RoomSummary): void {
    this.store.set({ rooms: upsertRoom(this.rooms, summary) });
  }

  /** I left or was removed. */
  remove(id: string): void {
    this.store.set({ rooms: removeRoom(this.rooms, id) });
  }

  /** I have seen everything up to `seq` in `room` (the tab is visible). */
  markRead(room: string, seq: number): void {
    const r = this.rooms[room];
    if (!r || seq <= r.lastReadSeq) return;
    this.applyMyRead(room, seq);
    if (!this.socket.send({ type: 'read', room, seq })) this.pendingReads.set(room, seq);
  }

  private applyMyRead(room: string, seq: number): void {
    const r = this.rooms[room];
    if (r) this.setRoom(room, r, applyReadToRoom(r, seq, this.loadedMessages(room), this.store.getState().me.id));
  }
}
