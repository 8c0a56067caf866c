import { createPortal } from 'react-dom';
import { Modal } from '../../components/Modal';
import { fileTypeLabel, formatBytes } from '../../lib/files';
import type { FileInfo } from '../../lib/protocol';
import { fileUrl } from './filesApi';

/**
 * An image at full size in a dialog (rendered into document.body, outside the message log):
 * Escape or Close closes it, focus goes back to the thumbnail.
 */
export function Lightbox({ file, onClose }: { file: FileInfo; onClose: () => void }) {
  const url = fileUrl(file.id);
  return createPortal(
    <Modal
      title={file.name}
      ariaLabel={`Image preview: ${file.name}`}
      onClose={onClose}
      className="lightbox"
      testId="lightbox"
    >
      <div className="lightbox-stage">
        <img className="lightbox-image" src={url} alt={file.name} data-testid="lightbox-image" />
      </div>
      <div className="lightbox-foot">
        <span className="hint">
          {formatBytes(file.size)} · {fileTypeLabel(file)}
          {file.width && file.height ? ` · ${file.width}×${file.height}` : ''}
        </span>
        <a className="button-link" href={url} target="_blank" rel="noopener noreferrer">
          Open in new tab
        </a>
        <a className="button-link" href={url} download={file.name} data-testid="lightbox-download">
          Download
        </a>
      </div>
    </Modal>,
    document.body,
  );
}
