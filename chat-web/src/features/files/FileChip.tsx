import { DownloadIcon, FileIcon, ImageIcon } from '../../components/icons';
import { fileTypeLabel, formatBytes } from '../../lib/files';
import type { FileInfo } from '../../lib/protocol';
import { fileUrl } from './filesApi';

/** The short type shown on the icon ("PDF", "ZIP"), from the name's extension. */
function badgeOf(file: FileInfo): string {
  return (/\.([A-Za-z0-9]{1,4})$/.exec(file.name)?.[1] ?? '').toUpperCase();
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
        {file.type.startsWith('image/') ? <ImageIcon size={26} /> : <FileIcon size={26} />}
        <span className="file-chip-ext">{badgeOf(file)}</span>
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
        <DownloadIcon />
      </span>
    </a>
  );
}
