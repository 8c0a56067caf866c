import { FileIcon, ImageIcon } from '../../components/icons';
import { formatBytes } from '../../lib/files';
import type { Attachment } from './uploadsSlice';

interface Props {
  attachments: readonly Attachment[];
  onRemove: (key: string) => void;
  onRetry: (key: string) => void;
}

function percent(a: Attachment): number {
  if (a.size <= 0) return 0;
  return Math.min(100, Math.round((a.sent / a.size) * 100));
}

/** The composer's attachments: a chip per file with its progress, error, retry and cancel/remove. */
export function AttachmentList({ attachments, onRemove, onRetry }: Props) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label="Attachments" data-testid="attachments">
      {attachments.map((a) => {
        const pct = percent(a);
        return (
          <li key={a.key} className={`attachment ${a.status}`} data-testid="attachment" data-status={a.status}>
            <span className="attachment-icon" aria-hidden="true">
              {a.type.startsWith('image/') ? <ImageIcon /> : <FileIcon />}
            </span>
            <span className="attachment-main">
              <span className="attachment-name" title={a.name} data-testid="attachment-name">
                {a.name}
              </span>
              {a.status === 'error' ? (
                <span className="attachment-error" role="alert" data-testid="attachment-error">
                  {a.error}
                </span>
              ) : (
                <span className="attachment-meta">
                  {a.status === 'uploading' ? `Uploading… ${pct}% of ${formatBytes(a.size)}` : formatBytes(a.size)}
                </span>
              )}
              {a.status === 'uploading' ? (
                <span
                  className="attachment-progress"
                  role="progressbar"
                  aria-label={`Uploading ${a.name}`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                  data-testid="attachment-progress"
                >
                  <span className="attachment-progress-bar" style={{ width: `${pct}%` }} />
                </span>
              ) : null}
            </span>
            {a.status === 'error' && a.retryable ? (
              <button
                type="button"
                className="small"
                onClick={() => onRetry(a.key)}
                aria-label={`Retry ${a.name}`}
                data-testid="attachment-retry"
              >
                Retry
              </button>
            ) : null}
            <button
              type="button"
              className="icon"
              onClick={() => onRemove(a.key)}
              aria-label={a.status === 'uploading' ? `Cancel upload of ${a.name}` : `Remove ${a.name}`}
              title={a.status === 'uploading' ? 'Cancel upload' : 'Remove'}
              data-testid="attachment-remove"
            >
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}
