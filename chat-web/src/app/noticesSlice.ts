// The toasts of a session: at most four, each gone after 6 s or when dismissed.

import type { NoticeTone } from '../lib/notice';
import type { SliceStore } from '../lib/store';
import type { Timers } from '../lib/timers';

export interface Notice {
  id: number;
  text: string;
  tone: NoticeTone;
}

export interface NoticesState {
  notices: Notice[];
}

export const initialNoticesState: NoticesState = { notices: [] };

export class NoticesSlice {
  private seq = 0;

  constructor(
    private readonly store: SliceStore<NoticesState>,
    private readonly timers: Timers,
  ) {}

  post(text: string, tone: NoticeTone = 'info'): void {
    this.seq += 1;
    const id = this.seq;
    this.store.set({ notices: [...this.store.getState().notices, { id, text, tone }].slice(-4) });
    this.timers.later(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    const notices = this.store.getState().notices;
    if (!notices.some((n) => n.id === id)) return;
    this.store.set({ notices: notices.filter((n) => n.id !== id) });
  }
}
