import { useState, type FormEvent } from 'react';
import { Modal } from '../../components/Modal';
import type { RoomSummary, Visibility } from '../../lib/protocol';
import { httpErrorText } from './errors';
import { createRoom, parseUsernames } from './roomsApi';

export function CreateRoomDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (room: RoomSummary) => void;
}) {
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [members, setMembers] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setError('Give the room a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await createRoom(name.trim(), visibility, parseUsernames(members)));
    } catch (err) {
      setError(httpErrorText(err));
      setBusy(false);
    }
  }

  return (
    <Modal title="Create a room" onClose={onClose} testId="create-room-dialog">
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            data-testid="new-room-name"
            required
          />
        </label>
        <fieldset className="radio-row">
          <legend>Who can join</legend>
          <label>
            <input
              type="radio"
              name="visibility"
              value="public"
              checked={visibility === 'public'}
              onChange={() => setVisibility('public')}
              data-testid="room-public"
            />
            Public: anyone can find and join it
          </label>
          <label>
            <input
              type="radio"
              name="visibility"
              value="private"
              checked={visibility === 'private'}
              onChange={() => setVisibility('private')}
              data-testid="room-private"
            />
            Private: invited members only
          </label>
        </fieldset>
        <label>
          Invite (usernames, separated by commas)
          <input
            value={members}
            onChange={(e) => setMembers(e.target.value)}
            placeholder="bob, carol"
            autoCapitalize="none"
            spellCheck={false}
            data-testid="room-members"
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="create-room-submit">
            Create room
          </button>
        </div>
      </form>
    </Modal>
  );
}
