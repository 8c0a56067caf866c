// Who is online, for the sidebar dots and the DM header: the list in `ready`, then `presence` events.

import type { PresenceInfo } from '../../lib/protocol';
import type { SliceStore } from '../../lib/store';
import { applyPresence, presenceFromList, type PresenceMap } from './presence';

export interface PresenceState {
  presence: PresenceMap;
}

export const initialPresenceState: PresenceState = { presence: {} };

export class PresenceSlice {
  constructor(private readonly store: SliceStore<PresenceState>) {}

  onReady(list: readonly PresenceInfo[] | undefined): void {
    this.store.set({ presence: presenceFromList(list) });
  }

  onPresence(p: PresenceInfo): void {
    this.store.set({ presence: applyPresence(this.store.getState().presence, p) });
  }
}
