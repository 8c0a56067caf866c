import type { PresenceInfo, PresenceStatus } from '../../lib/protocol';

export interface PresenceEntry {
  status: PresenceStatus;
  lastSeen: string | null;
}

export type PresenceMap = Record<string, PresenceEntry>;

export function applyPresence(map: PresenceMap, p: PresenceInfo): PresenceMap {
  return { ...map, [p.user.id]: { status: p.status, lastSeen: p.lastSeen ?? map[p.user.id]?.lastSeen ?? null } };
}

export function presenceFromList(list: readonly PresenceInfo[] | undefined): PresenceMap {
  let map: PresenceMap = {};
  for (const p of list ?? []) map = applyPresence(map, p);
  return map;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "Online", "Last seen just now", "Last seen 5 min ago", "Last seen today at 14:02"... */
export function describePresence(entry: PresenceEntry | undefined, now: Date = new Date()): string {
  if (!entry) return 'Offline';
  if (entry.status === 'online') return 'Online';
  if (!entry.lastSeen) return 'Offline';
  const seen = new Date(entry.lastSeen);
  if (Number.isNaN(seen.getTime())) return 'Offline';
  const diff = now.getTime() - seen.getTime();
  if (diff < MINUTE) return 'Last seen just now';
  if (diff < HOUR) return `Last seen ${Math.floor(diff / MINUTE)} min ago`;
  const time = seen.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (sameDay(seen, now)) return `Last seen today at ${time}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(seen, yesterday)) return `Last seen yesterday at ${time}`;
  return `Last seen ${seen.toLocaleDateString([], { month: 'short', day: 'numeric', year: seen.getFullYear() === now.getFullYear() ? undefined : 'numeric' })}`;
}
