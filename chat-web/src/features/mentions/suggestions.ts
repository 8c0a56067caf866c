// Member autocomplete for `@` in the composer: pure functions over the text and the room's members.

import { nameOf, type User } from '../../lib/protocol';

/** The `@word` being typed at the caret: its range in the text and the word so far. */
export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** End of the word (it may go on after the caret). */
  end: number;
  query: string;
}

const WORD = /[A-Za-z0-9_.-]*/y;

/**
 * The mention being typed at `caret`, if any: an `@` at the start or after a character that
 * cannot be part of a word, an email address or a path (as the markdown's mentions), followed by
 * username characters up to the caret.
 */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const m = /(^|[^\w@/])@([A-Za-z0-9_.-]*)$/.exec(before);
  if (!m) return null;
  const query = m[2] ?? '';
  if (query.length > 40) return null;
  const start = caret - query.length - 1;
  WORD.lastIndex = caret;
  const rest = WORD.exec(text)?.[0] ?? '';
  return { start, end: caret + rest.length, query };
}

export interface Suggestion {
  /** What is inserted after the `@`. */
  username: string;
  /** The person's name, or what `@room` does. */
  detail: string;
  user: User | null;
}

/** The special mention of everyone in a room. */
export const ROOM_MENTION: Suggestion = { username: 'room', detail: 'Notify everyone in this room', user: null };

function rank(u: User, q: string): number {
  const username = u.username.toLowerCase();
  if (username === q) return 0;
  if (username.startsWith(q)) return 1;
  const name = nameOf(u).toLowerCase();
  if (name.startsWith(q)) return 2;
  if (name.split(/\s+/).some((w) => w.startsWith(q))) return 3;
  return -1;
}

/**
 * Members matching `query` (username or a word of the display name, case-insensitive), best
 * first, without me; `@room` last when allowed and it matches.
 */
export function suggestMentions(
  members: readonly User[],
  meId: string,
  query: string,
  allowRoom: boolean,
  limit = 8,
): Suggestion[] {
  const q = query.toLowerCase();
  const people = members
    .filter((u) => u.id !== meId)
    .map((u) => ({ u, r: rank(u, q) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.u.username.localeCompare(b.u.username))
    .map(({ u }): Suggestion => ({ username: u.username, detail: nameOf(u), user: u }));
  const room = allowRoom && 'room'.startsWith(q) ? [ROOM_MENTION] : [];
  return [...people.slice(0, limit - room.length), ...room];
}

/** The text with the mention replaced by `@username ` and where the caret goes. */
export function insertMention(text: string, at: MentionQuery, username: string): { text: string; caret: number } {
  const inserted = `@${username} `;
  const after = text.slice(at.end).replace(/^ /, '');
  return { text: text.slice(0, at.start) + inserted + after, caret: at.start + inserted.length };
}
