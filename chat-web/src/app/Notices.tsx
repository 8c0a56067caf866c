import type { Notice } from './noticesSlice';

/** The toasts, bottom right; errors are alerts. */
export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
