import { fileTypeLabel, formatBytes } from '../../lib/files';
import type { FileInfo } from '../../lib/protocol';
import { fileUrl } from './filesApi';

function iconOf(file: FileInfo): string {
  const t = file.type.toLowerCase();
  if (t.startsWith('image/')) return '🖼';
  if (t === 'application/pdf') return '📕';
  if (t.startsWith('video/')) return '🎞';
  if (t.startsWith('audio/')) return '🎵';
  if (t.includes('zip') || t.includes('compressed') || t.includes('tar')) return '🗜';
  if (t.startsWith('text/')) return '📝';
  return '📄';
}

/** A file that is not shown as an image: name, size and type, a link that downloads it. */
export function FileChip({ file }: { file: FileInfo }) {
  const size = formatBytes(file.size);
  const type = fileTypeLabel(file);
  return (
    <a
      className="file-chip"
      href={fileUrl(file.id)}
      download={file.name}
      aria-label={`Download ${file.name}, ${size}, ${type}`}
      data-testid="file-chip"
      data-file-id={file.id}
    >
      <span className="file-chip-icon" aria-hidden="true">
        {iconOf(file)}
      </span>
      <span className="file-chip-text">
        <span className="file-chip-name" title={file.name}>
          {file.name}
        </span>
        <span className="file-chip-meta">
          {size} · {type}
        </span>
      </span>
      <span className="file-chip-download" aria-hidden="true">
        ⬇
      </span>
    </a>
  );
}
