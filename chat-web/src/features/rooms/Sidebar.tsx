import { memo } from 'react';
import { BellOffIcon } from '../../components/icons';
import type { RoomSummary, User } from '../../lib/protocol';
import { nameOf, notifyLevelOf } from '../../lib/protocol';
import { dayKey, timeLabel } from '../../lib/time';
import { PresenceDot } from '../presence/PresenceDot';
import type { PresenceEntry, PresenceMap } from '../presence/presence';
import { dmPeer, mentionCount, previewOf, sortRooms, type RoomMap } from './roomsState';

function shortTime(ts: string | undefined, now = new Date()): string {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  if (dayKey(ts) === dayKey(now.toISOString())) return timeLabel(ts);
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

interface RoomItemProps {
  room: RoomSummary;
  me: User;
  active: boolean;
  peerPresence: PresenceEntry | undefined;
  onOpen: (id: string) => void;
}

export const RoomItem = memo(function RoomItem({ room, me, active, peerPresence, onOpen }: RoomItemProps) {
  const peer = dmPeer(room, me);
  const title = room.kind === 'dm' ? room.name || nameOf(peer) : room.name;
  const unread = room.unread > 0 ? room.unread : 0;
  const mentioned = mentionCount(room);
  const level = notifyLevelOf(room);
  // Unread counts in rooms that notify of mentions only, or of nothing, are shown muted.
  const quiet = level !== 'all';
  const ts = room.lastMessage?.ts;
  const label = [
    `${room.kind === 'dm' ? 'Direct message with' : 'Room'} ${title}`,
    unread ? `${unread} unread` : '',
    mentioned ? `${mentioned} ${mentioned === 1 ? 'mention' : 'mentions'}` : '',
    level === 'none' ? 'muted' : '',
  ]
    .filter(Boolean)
    .join(', ');
  const classes = [
    'room-item',
    active ? 'active' : '',
    unread && !quiet ? 'has-unread' : '',
    mentioned ? 'has-mentions' : '',
    level === 'none' ? 'muted' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li>
      <button
        type="button"
        className={classes}
        onClick={() => onOpen(room.id)}
        aria-current={active ? 'page' : undefined}
        aria-label={label}
        data-testid="room-item"
        data-room-id={room.id}
        data-kind={room.kind}
        data-notify={level}
      >
        <span className="room-avatar" aria-hidden="true">
          {room.kind === 'dm' ? (title.trim()[0] ?? '?').toUpperCase() : '#'}
          {room.kind === 'dm' && peer ? <PresenceDot entry={peerPresence} name={nameOf(peer)} /> : null}
        </span>
        <span className="room-main">
          <span className="room-top">
            <span className="room-name" data-testid="room-name">
              {title}
            </span>
            <time className="room-time" dateTime={ts ?? undefined}>
              {shortTime(ts ?? undefined)}
            </time>
          </span>
          <span className="room-bottom">
            <span className="room-preview" data-testid="room-preview">
              {previewOf(room, me)}
            </span>
            {level === 'none' ? (
              <span className="muted-icon" aria-hidden="true" title="Muted" data-testid="muted-icon">
                <BellOffIcon size={14} />
              </span>
            ) : null}
            {mentioned ? (
              <span className="mention-badge" data-testid="mention-badge" aria-hidden="true">
                @{mentioned > 99 ? '99+' : mentioned}
              </span>
            ) : null}
            {unread ? (
              <span
                className={`unread-badge${quiet ? ' muted' : ''}`}
                data-testid="unread-badge"
                data-muted={quiet ? 'true' : undefined}
                aria-hidden="true"
              >
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </span>
        </span>
      </button>
    </li>
  );
});

export function RoomList({
  rooms,
  me,
  activeRoomId,
  presence,
  onOpen,
}: {
  rooms: RoomMap;
  me: User;
  activeRoomId: string | null;
  presence: PresenceMap;
  onOpen: (id: string) => void;
}) {
  const sorted = sortRooms(Object.values(rooms));
  if (sorted.length === 0) {
    return <p className="empty sidebar-empty">No conversations yet. Start a direct message or join a room.</p>;
  }
  return (
    <ul className="room-list" data-testid="room-list">
      {sorted.map((r) => {
        const peer = dmPeer(r, me);
        return (
          <RoomItem
            key={r.id}
            room={r}
            me={me}
            active={r.id === activeRoomId}
            peerPresence={peer ? presence[peer.id] : undefined}
            onOpen={onOpen}
          />
        );
      })}
    </ul>
  );
}
