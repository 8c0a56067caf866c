import { useState } from 'react';
import { isPreviewableImage } from '../../lib/files';
import type { FileInfo } from '../../lib/protocol';
import { FileChip } from './FileChip';
import { ImageThumb } from './ImageThumb';
import { Lightbox } from './Lightbox';

/** The files of a message: raster images as thumbnails (opening a lightbox), the rest as chips. */
export function MessageFiles({ files }: { files: readonly FileInfo[] }) {
  const [open, setOpen] = useState<FileInfo | null>(null);
  if (files.length === 0) return null;
  const images = files.filter(isPreviewableImage);
  const others = files.filter((f) => !isPreviewableImage(f));
  return (
    <div className="message-files" data-testid="message-files">
      {images.length > 0 ? (
        <div className="file-images">
          {images.map((f) => (
            <ImageThumb key={f.id} file={f} onOpen={setOpen} />
          ))}
        </div>
      ) : null}
      {others.length > 0 ? (
        <ul className="file-chips" aria-label="Files">
          {others.map((f) => (
            <li key={f.id}>
              <FileChip file={f} />
            </li>
          ))}
        </ul>
      ) : null}
      {open ? <Lightbox file={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
