// Groups a room's messages for display: day separators, runs of one sender, the unread divider.

import { dayKey, dayLabel } from '../../lib/time';
import type { ChatMessage } from './messageStore';

/** Consecutive messages of one sender within this gap share a header. */
export const GROUP_GAP_MS = 5 * 60_000;

export type ListItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: 'unread-divider' }
  | { kind: 'message'; key: string; message: ChatMessage; first: boolean };

/**
 * @param unreadAfterSeq show the "New messages" divider before the first message of someone else
 *   with a seq above this (null: no divider)
 */
export function buildListItems(
  messages: readonly ChatMessage[],
  unreadAfterSeq: number | null,
  meId: string | undefined,
  now: Date = new Date(),
): ListItem[] {
  const items: ListItem[] = [];
  let prev: ChatMessage | null = null;
  let dividerPlaced = unreadAfterSeq === null;
  for (const m of messages) {
    const day = dayKey(m.ts);
    let newDay = false;
    if (!prev || dayKey(prev.ts) !== day) {
      // Keyed by its first message too: with clocks a little off, a day can come back.
      items.push({ kind: 'day', key: `day-${day}-${m.key}`, label: dayLabel(m.ts, now) });
      newDay = true;
    }
    let divider = false;
    if (!dividerPlaced && m.seq !== null && unreadAfterSeq !== null && m.seq > unreadAfterSeq && m.sender.id !== meId) {
      items.push({ kind: 'unread', key: 'unread-divider' });
      dividerPlaced = true;
      divider = true;
    }
    const first =
      newDay ||
      divider ||
      !prev ||
      prev.sender.id !== m.sender.id ||
      new Date(m.ts).getTime() - new Date(prev.ts).getTime() > GROUP_GAP_MS;
    items.push({ kind: 'message', key: m.key, message: m, first });
    prev = m;
  }
  return items;
}
