import { useCallback, useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../lib/protocol';
import { queryProblem, searchErrorText, searchMessages } from './searchApi';

/** One search as it was asked: the text and where (null: all my rooms). */
export interface SearchQuery {
  q: string;
  room: string | null;
}

export type SearchStatus = 'loading' | 'done' | 'error';

export interface SearchResults {
  query: SearchQuery;
  status: SearchStatus;
  /** Newest first. */
  hits: SearchHit[];
  error: string | null;
}

/** Newest first (then the higher seq); the server's order is kept among equals. */
export function newestFirst(hits: readonly SearchHit[]): SearchHit[] {
  return hits
    .map((h, i) => ({ h, i, t: Date.parse(h.ts) }))
    .sort((a, b) => {
      const ta = Number.isNaN(a.t) ? -Infinity : a.t;
      const tb = Number.isNaN(b.t) ? -Infinity : b.t;
      if (ta !== tb) return tb - ta;
      if (a.h.room === b.h.room && a.h.seq !== b.h.seq) return b.h.seq - a.h.seq;
      return a.i - b.i;
    })
    .map((x) => x.h);
}

export type Search = typeof searchMessages;

/**
 * The state of message search: the last query, its results, whether the results panel is shown.
 * Only the answer to the latest query is kept (an older one arriving late is dropped).
 */
export function useMessageSearch(search: Search = searchMessages) {
  const [results, setResults] = useState<SearchResults | null>(null);
  const [open, setOpen] = useState(false);
  const latest = useRef(0);

  useEffect(
    () => () => {
      latest.current += 1; // unmounted: drop whatever is still on its way
    },
    [],
  );

  const run = useCallback(
    (text: string, room: string | null) => {
      const q = text.trim();
      if (!q) return false;
      const query: SearchQuery = { q, room };
      latest.current += 1;
      const ticket = latest.current;
      setOpen(true);
      const problem = queryProblem(q);
      if (problem) {
        setResults({ query, status: 'error', hits: [], error: problem });
        return true;
      }
      setResults({ query, status: 'loading', hits: [], error: null });
      search(q, room).then(
        (hits) => {
          if (ticket !== latest.current) return;
          setResults({ query, status: 'done', hits: newestFirst(Array.isArray(hits) ? hits : []), error: null });
        },
        (e: unknown) => {
          if (ticket !== latest.current) return;
          setResults({ query, status: 'error', hits: [], error: searchErrorText(e) });
        },
      );
      return true;
    },
    [search],
  );

  const close = useCallback(() => setOpen(false), []);

  return { results, open, run, close };
}
