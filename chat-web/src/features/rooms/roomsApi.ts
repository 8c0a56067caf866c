import { api, enc } from '../../lib/http';
import type { NotifyLevel, RoomSummary, User, Visibility } from '../../lib/protocol';

export const searchUsers = (q: string) => api<User[]>('GET', `/api/users?q=${enc(q)}`);
export const openDm = (username: string) => api<RoomSummary>('POST', '/api/dms', { username });
export const createRoom = (name: string, visibility: Visibility, members: string[]) =>
  api<RoomSummary>('POST', '/api/rooms', members.length ? { name, visibility, members } : { name, visibility });
export const publicRooms = () => api<RoomSummary[]>('GET', '/api/rooms/public');
export const myRooms = () => api<RoomSummary[]>('GET', '/api/rooms');
export const joinRoom = (id: string) => api<RoomSummary | undefined>('POST', `/api/rooms/${enc(id)}/join`);
export const leaveRoom = (id: string) => api<void>('POST', `/api/rooms/${enc(id)}/leave`);
export const inviteMember = (id: string, username: string) =>
  api<unknown>('POST', `/api/rooms/${enc(id)}/members`, { username });
export const kickMember = (id: string, username: string) =>
  api<void>('DELETE', `/api/rooms/${enc(id)}/members/${enc(username)}`);

/** A room summary when the answer carries one. */
export function asSummary(x: unknown): RoomSummary | null {
  if (
    x &&
    typeof x === 'object' &&
    typeof (x as RoomSummary).id === 'string' &&
    Array.isArray((x as RoomSummary).members)
  ) {
    return x as RoomSummary;
  }
  return null;
}

/** Splits "bob, carol dave" into usernames. */
export function parseUsernames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().replace(/^@/, ''))
        .filter(Boolean),
    ),
  ];
}

/** PUT /api/rooms/{id}/notify: my notification level for the room; answers the new summary. */
export const setNotifyLevel = (id: string, level: NotifyLevel) =>
  api<RoomSummary>('PUT', `/api/rooms/${enc(id)}/notify`, { level });
