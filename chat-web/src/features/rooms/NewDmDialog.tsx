import { useEffect, useState } from 'react';
import { Modal } from '../../components/Modal';
import type { RoomSummary, User } from '../../lib/protocol';
import { nameOf } from '../../lib/protocol';
import { httpErrorText } from './errors';
import { openDm, searchUsers } from './roomsApi';

/** Find someone by username and open (or create) the DM with them. */
export function NewDmDialog({
  me,
  onClose,
  onOpened,
}: {
  me: User;
  onClose: () => void;
  onOpened: (room: RoomSummary) => void;
}) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const query = q.trim().replace(/^@/, '');
    if (!query) return;
    let cancelled = false;
    const t = setTimeout(() => {
      setSearching(true);
      searchUsers(query).then(
        (users) => {
          if (cancelled) return;
          setResults(users.filter((u) => u.id !== me.id));
          setError(null);
          setSearching(false);
        },
        (e: unknown) => {
          if (cancelled) return;
          setError(httpErrorText(e));
          setSearching(false);
        },
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [q, me.id]);

  async function start(username: string) {
    setBusy(true);
    setError(null);
    try {
      onOpened(await openDm(username));
    } catch (e) {
      setError(httpErrorText(e));
      setBusy(false);
    }
  }

  const shown = q.trim() ? results : [];
  return (
    <Modal title="New direct message" onClose={onClose} testId="new-dm-dialog">
      <label>
        Find someone by username
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="username"
          autoCapitalize="none"
          spellCheck={false}
          data-testid="user-search"
        />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="pick-list" aria-label="People" aria-busy={searching}>
        {shown.map((u) => (
          <li key={u.id}>
            <button type="button" disabled={busy} onClick={() => void start(u.username)} data-testid="user-result">
              <span className="pick-name">{nameOf(u)}</span> <span className="pick-sub">@{u.username}</span>
            </button>
          </li>
        ))}
        {q.trim() && !searching && shown.length === 0 && !error ? <li className="empty">No one found.</li> : null}
      </ul>
    </Modal>
  );
}
