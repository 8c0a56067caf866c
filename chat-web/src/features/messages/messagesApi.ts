import { api, enc } from '../../lib/http';
import type { WireMessage } from '../../lib/protocol';

/** One page of a room's history, oldest first. */
export interface Page {
  messages: WireMessage[];
  hasMore: boolean;
}

/** GET /api/rooms/{id}/messages?before=&limit= (used while the socket is down). */
export function fetchMessages(room: string, before: number | undefined, limit: number): Promise<Page> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (before !== undefined) params.set('before', String(before));
  return api<Page>('GET', `/api/rooms/${enc(room)}/messages?${params.toString()}`);
}
