import { useState, type FormEvent } from 'react';
import { Modal } from '../../components/Modal';
import type { RoomSummary, User } from '../../lib/protocol';
import { nameOf } from '../../lib/protocol';
import { PresenceDot } from '../presence/PresenceDot';
import type { PresenceMap } from '../presence/presence';
import { httpErrorText } from './errors';
import { inviteMember, kickMember, leaveRoom } from './roomsApi';

/** Members, invite and kick (owners and admins), leave. */
export function RoomDetailsDialog({
  room,
  me,
  presence,
  onClose,
  onLeft,
  onChanged,
}: {
  room: RoomSummary;
  me: User;
  presence: PresenceMap;
  onClose: () => void;
  onLeft: (id: string) => void;
  onChanged: (room: RoomSummary) => void;
}) {
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const canManage = room.kind === 'group' && (room.myRole === 'owner' || room.myRole === 'admin');

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      await action();
    } catch (e) {
      setError(httpErrorText(e));
    } finally {
      setBusy(false);
    }
  }

  function submitInvite(e: FormEvent) {
    e.preventDefault();
    const username = invite.trim().replace(/^@/, '');
    if (!username) return;
    void run(async () => {
      await inviteMember(room.id, username);
      setInvite('');
      setInfo(`Invited @${username}.`);
    });
  }

  function kick(user: User) {
    void run(async () => {
      await kickMember(room.id, user.username);
      onChanged({ ...room, members: room.members.filter((m) => m.id !== user.id) });
      setInfo(`Removed ${nameOf(user)}.`);
    });
  }

  function leave() {
    void run(async () => {
      await leaveRoom(room.id);
      onLeft(room.id);
    });
  }

  return (
    <Modal
      title={room.kind === 'dm' ? nameOf(room.members.find((m) => m.id !== me.id)) : `# ${room.name}`}
      onClose={onClose}
      testId="room-details-dialog"
    >
      {room.kind === 'group' ? (
        <p className="pick-sub">
          {room.visibility === 'public' ? 'Public room' : 'Private room'} · you are{' '}
          {room.myRole === 'member' ? 'a member' : `an ${room.myRole}`}
        </p>
      ) : null}
      <h3>Members ({room.members.length})</h3>
      <ul className="pick-list" aria-label="Members">
        {room.members.map((u) => (
          <li key={u.id} className="pick-row" data-testid="member">
            <span className="member-name">
              <PresenceDot
                entry={u.id === me.id ? { status: 'online', lastSeen: null } : presence[u.id]}
                name={nameOf(u)}
              />
              <span className="pick-name">{nameOf(u)}</span>{' '}
              <span className="pick-sub">
                @{u.username}
                {u.id === me.id ? ' (you)' : ''}
              </span>
            </span>
            {canManage && u.id !== me.id ? (
              <button
                type="button"
                className="danger small"
                disabled={busy}
                onClick={() => kick(u)}
                aria-label={`Remove ${nameOf(u)} from the room`}
                data-testid="kick-member"
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <form onSubmit={submitInvite} className="inline-form">
          <label className="grow">
            Invite by username
            <input
              value={invite}
              onChange={(e) => setInvite(e.target.value)}
              autoCapitalize="none"
              spellCheck={false}
              data-testid="invite-username"
            />
          </label>
          <button type="submit" className="primary" disabled={busy || !invite.trim()} data-testid="invite-submit">
            Invite
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {info ? <p role="status">{info}</p> : null}
      {room.kind === 'group' ? (
        <div className="actions">
          {confirmLeave ? (
            <>
              <span>Leave this room?</span>
              <button type="button" onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
              <button type="button" className="danger" disabled={busy} onClick={leave} data-testid="leave-room-confirm">
                Leave
              </button>
            </>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmLeave(true)} data-testid="leave-room">
              Leave room
            </button>
          )}
        </div>
      ) : null}
    </Modal>
  );
}
