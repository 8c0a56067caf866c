import type { ConnectionState } from '../../lib/socket';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  signedOut: 'Signed out',
};

export function ConnectionBadge({ state, onReconnect }: { state: ConnectionState; onReconnect: () => void }) {
  return (
    <div
      className={`connection connection-${state}`}
      data-testid="connection-state"
      data-state={state}
      role="status"
      aria-live="polite"
    >
      <span className="connection-dot" aria-hidden="true" />
      <span>{LABEL[state]}</span>
      {state === 'offline' || state === 'reconnecting' ? (
        <button type="button" className="link" onClick={onReconnect} data-testid="reconnect-now">
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}
