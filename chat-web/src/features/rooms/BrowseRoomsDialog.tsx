import { useEffect, useState } from 'react';
import { Modal } from '../../components/Modal';
import type { RoomSummary } from '../../lib/protocol';
import { httpErrorText } from './errors';
import { asSummary, joinRoom, myRooms, publicRooms } from './roomsApi';

/** Public rooms I may join. */
export function BrowseRoomsDialog({
  joinedIds,
  onClose,
  onJoined,
}: {
  joinedIds: ReadonlySet<string>;
  onClose: () => void;
  onJoined: (room: RoomSummary) => void;
}) {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    publicRooms().then(
      (list) => !cancelled && setRooms(list),
      (e: unknown) => !cancelled && setError(httpErrorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  async function join(room: RoomSummary) {
    setBusy(room.id);
    setError(null);
    try {
      const answer = asSummary(await joinRoom(room.id));
      const joined = answer ?? (await myRooms()).find((r) => r.id === room.id) ?? room;
      onJoined(joined);
    } catch (e) {
      setError(httpErrorText(e));
      setBusy(null);
    }
  }

  const list = (rooms ?? []).filter((r) => !joinedIds.has(r.id));
  return (
    <Modal title="Browse public rooms" onClose={onClose} testId="browse-rooms-dialog">
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {rooms === null && !error ? <p role="status">Loading…</p> : null}
      <ul className="pick-list" aria-label="Public rooms">
        {list.map((r) => (
          <li key={r.id} className="pick-row" data-testid="public-room">
            <span>
              <span className="pick-name"># {r.name}</span> <span className="pick-sub">{r.members.length} members</span>
            </span>
            <button
              type="button"
              className="primary small"
              disabled={busy !== null}
              onClick={() => void join(r)}
              aria-label={`Join ${r.name}`}
              data-testid="join-room"
            >
              {busy === r.id ? 'Joining…' : 'Join'}
            </button>
          </li>
        ))}
        {rooms !== null && list.length === 0 ? <li className="empty">No public rooms to join.</li> : null}
      </ul>
    </Modal>
  );
}
