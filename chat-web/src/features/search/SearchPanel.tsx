import type { KeyboardEvent } from 'react';
import { nameOf, type RoomSummary, type SearchHit, type User } from '../../lib/protocol';
import { dmPeer, type RoomMap } from '../rooms/roomsState';
import { queryProblem } from './searchApi';
import { Snippet } from './Snippet';
import type { SearchResults } from './useMessageSearch';

/** "#general" for a group, the other person's name for a DM. */
export function roomLabel(room: RoomSummary | undefined, me: User): string {
  if (!room) return 'Unknown room';
  return room.kind === 'dm' ? room.name || nameOf(dmPeer(room, me)) : `#${room.name}`;
}

/** "14:05" today, "3 Nov, 14:05" this year, "3 Nov 2025, 14:05" before. */
export function hitTime(ts: string, now: Date = new Date()): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  const date = d.toLocaleDateString([], {
    day: 'numeric',
    month: 'short',
    year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric',
  });
  return `${date}, ${time}`;
}

interface Props {
  results: SearchResults;
  rooms: RoomMap;
  me: User;
  onOpenHit: (hit: SearchHit) => void;
  onRetry: () => void;
  onClose: () => void;
}

/** The results of the last search, newest first; a hit opens its room at that message. */
export function SearchPanel({ results, rooms, me, onOpenHit, onRetry, onClose }: Props) {
  const { query, status, hits, error } = results;
  const where = query.room ? roomLabel(rooms[query.room], me) : 'all your rooms';
  const summary =
    status === 'done'
      ? `${hits.length} ${hits.length === 1 ? 'result' : 'results'} for “${query.q}” in ${where}`
      : `“${query.q}” in ${where}`;

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  }

  return (
    <aside className="search-panel" aria-label="Search results" onKeyDown={onKeyDown} data-testid="search-panel">
      <header className="search-panel-header">
        <div className="search-panel-title">
          <h2>Search results</h2>
          <p className="search-summary" data-testid="search-summary">
            {summary}
          </p>
        </div>
        <button
          type="button"
          className="icon"
          aria-label="Close search results"
          onClick={onClose}
          data-testid="search-close"
        >
          ✕
        </button>
      </header>
      <div className="search-panel-body" aria-busy={status === 'loading'} data-status={status}>
        {status === 'loading' ? (
          <p className="search-note" role="status" data-testid="search-loading">
            Searching…
          </p>
        ) : status === 'error' ? (
          <div className="form-error search-error" role="alert" data-testid="search-error">
            <span>{error}</span>
            {queryProblem(query.q) === null ? (
              <button type="button" className="small" onClick={onRetry} data-testid="search-retry">
                Try again
              </button>
            ) : null}
          </div>
        ) : hits.length === 0 ? (
          <p className="search-note empty" role="status" data-testid="search-empty">
            No messages match “{query.q}”.
          </p>
        ) : (
          <>
            <p className="visually-hidden" role="status">
              {summary}
            </p>
            <ol className="search-results" data-testid="search-results">
              {hits.map((hit) => (
                <li key={`${hit.room}:${hit.messageId}`}>
                  <button
                    type="button"
                    className="search-hit"
                    onClick={() => onOpenHit(hit)}
                    data-testid="search-hit"
                    data-room-id={hit.room}
                    data-message-id={hit.messageId}
                    data-seq={hit.seq}
                  >
                    <span className="search-hit-top">
                      <span className="search-hit-room" data-testid="search-hit-room">
                        {roomLabel(rooms[hit.room], me)}
                      </span>
                      <time className="search-hit-time" dateTime={hit.ts} data-testid="search-hit-time">
                        {hitTime(hit.ts)}
                      </time>
                    </span>
                    <span className="search-hit-sender" data-testid="search-hit-sender">
                      {nameOf(hit.sender)}
                    </span>
                    <Snippet snippet={hit.snippet} body={hit.body} query={query.q} />
                  </button>
                </li>
              ))}
            </ol>
            {hits.length >= 50 ? (
              <p className="search-note hint">Showing the 50 newest matches. Add words to narrow the search.</p>
            ) : null}
          </>
        )}
      </div>
    </aside>
  );
}
