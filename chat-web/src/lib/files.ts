// Plain facts about uploaded files, shared by the features that show them (no React here).

import type { FileInfo } from './protocol';

/** Raster types the server shows inline and makes thumbnails of. */
const RASTER_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** An image the UI shows as a thumbnail that opens full size. */
export function isPreviewableImage(file: Pick<FileInfo, 'type'>): boolean {
  return RASTER_IMAGES.has(file.type.toLowerCase());
}

/** "512 B", "1.2 KB", "25 MB" (binary units, as most chat apps show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
  return `${text.replace(/\.0$/, '')} ${units[unit]}`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/zip': 'ZIP archive',
  'application/json': 'JSON',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'text/markdown': 'Markdown',
  'image/svg+xml': 'SVG image',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/octet-stream': 'File',
};

/** A short, human name for a content type ("PDF", "PNG image", "Text"). */
export function fileTypeLabel(file: Pick<FileInfo, 'type' | 'name'>): string {
  const type = (file.type || '').toLowerCase().split(';')[0]?.trim() ?? '';
  const known = TYPE_LABELS[type];
  if (known) return known;
  const [major, minor] = type.split('/');
  if (major && minor) {
    const sub = minor.replace(/^x-/, '').toUpperCase();
    if (major === 'image') return `${sub} image`;
    if (major === 'video') return `${sub} video`;
    if (major === 'audio') return `${sub} audio`;
    if (major === 'text') return `${sub} text`;
  }
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1];
  return ext ? ext.toUpperCase() : 'File';
}

/** One line for previews and notifications: "📎 report.pdf", "📎 3 files". */
export function filesSummary(files: readonly Pick<FileInfo, 'name'>[] | null | undefined): string {
  if (!files || files.length === 0) return '';
  if (files.length === 1) return `📎 ${files[0]?.name ?? 'file'}`;
  return `📎 ${files.length} files`;
}
