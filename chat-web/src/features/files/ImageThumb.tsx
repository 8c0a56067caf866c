import { useState } from 'react';
import { formatBytes } from '../../lib/files';
import type { FileInfo } from '../../lib/protocol';
import { FileChip } from './FileChip';
import { thumbnailUrl } from './filesApi';

/** The largest box a thumbnail takes in the message list. */
export const THUMB_MAX = { width: 360, height: 240 } as const;

/** The thumbnail's size on screen, from the image's width/height (null when unknown). */
export function thumbSize(
  width: number | null | undefined,
  height: number | null | undefined,
): { width: number; height: number } | null {
  if (!width || !height || width <= 0 || height <= 0) return null;
  const scale = Math.min(1, THUMB_MAX.width / width, THUMB_MAX.height / height);
  return { width: Math.max(24, Math.round(width * scale)), height: Math.max(24, Math.round(height * scale)) };
}

/**
 * An image as a thumbnail button that opens it full size. Space is reserved from width/height, so
 * the list does not jump when it loads. Without a thumbnail (404) it falls back to a file chip.
 */
export function ImageThumb({ file, onOpen }: { file: FileInfo; onOpen: (file: FileInfo) => void }) {
  const [failed, setFailed] = useState(false);
  if (failed) return <FileChip file={file} />;
  const size = thumbSize(file.width, file.height);
  return (
    <button
      type="button"
      className={`file-thumb${size ? '' : ' unsized'}`}
      onClick={() => onOpen(file)}
      aria-label={`Open image ${file.name} (${formatBytes(file.size)})`}
      title={file.name}
      data-testid="image-thumb"
      data-file-id={file.id}
    >
      <img
        src={thumbnailUrl(file.id)}
        alt={file.name}
        width={size?.width}
        height={size?.height}
        style={size ? { width: size.width, aspectRatio: `${size.width} / ${size.height}` } : undefined}
        loading="lazy"
        decoding="async"
        onError={() => setFailed(true)}
      />
    </button>
  );
}
