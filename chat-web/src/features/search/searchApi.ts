import { ApiError, NetworkError, api } from '../../lib/http';
import { MAX_SEARCH_CHARS, type SearchHit } from '../../lib/protocol';

/** GET /api/search?q=&room=: matches in the rooms I belong to (or in one of them). */
export function searchMessages(q: string, room: string | null): Promise<SearchHit[]> {
  const params = new URLSearchParams({ q });
  if (room) params.set('room', room);
  return api<SearchHit[]>('GET', `/api/search?${params.toString()}`);
}

/** Why a query cannot be sent as it is, or null when it can. */
export function queryProblem(q: string): string | null {
  if (!q.trim()) return 'Type something to search for.';
  if (q.length > MAX_SEARCH_CHARS) {
    return `The search text is too long: at most ${MAX_SEARCH_CHARS} characters (this one has ${q.length}).`;
  }
  return null;
}

/** A failed search, said plainly, with the HTTP status when there was one. */
export function searchErrorText(e: unknown): string {
  if (e instanceof NetworkError) return 'Search failed: lost connection to the server. Try again.';
  if (e instanceof ApiError) {
    const status = `(HTTP ${e.status})`;
    switch (e.status) {
      case 400:
        return `Search failed: the server did not accept the search text${e.message ? `: ${e.message}` : '.'} ${status}`;
      case 401:
        return `Search failed: you are signed out. Sign in again. ${status}`;
      case 403:
        return `Search failed: you are not a member of that room. ${status}`;
      case 429:
        return `Search failed: too many requests. Wait a moment and try again. ${status}`;
      default:
        if (e.status >= 500) return `Search failed: the server had a problem. Try again. ${status}`;
        return `Search failed: ${e.message || 'something went wrong.'} ${status}`;
    }
  }
  return 'Search failed: something went wrong. Try again.';
}
