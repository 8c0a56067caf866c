// Who a message mentions. Servers of protocol v1.1 resolve `@username` and `@room` into
// `message.mentions` (user ids); for older servers the body is searched for `@me`.

import type { User } from './protocol';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a body mentions @username (case-insensitive, whole word). */
export function mentions(body: string, username: string | undefined): boolean {
  if (!username) return false;
  const re = new RegExp(`(^|[^\\w@/])@${escapeRegExp(username)}(?![\\w-]|\\.[\\w])`, 'i');
  return re.test(body);
}

/** What mentionsMe needs of a message (a wire message or a loaded one). */
export interface Mentionable {
  body: string;
  deleted?: boolean;
  sender: { id: string };
  mentions?: readonly string[] | null;
}

/**
 * Whether someone else's message mentions me: by the server's `mentions` when it sent them (this
 * covers `@room`), else by `@username` in the body. My own messages never do.
 */
export function mentionsMe(m: Mentionable, me: Pick<User, 'id' | 'username'>): boolean {
  if (m.deleted || m.sender.id === me.id) return false;
  if (Array.isArray(m.mentions)) return m.mentions.includes(me.id);
  return mentions(m.body, me.username);
}
