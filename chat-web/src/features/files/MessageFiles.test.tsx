import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MessageFiles } from './MessageFiles';
import { thumbSize } from './ImageThumb';
import type { FileInfo } from '../../lib/protocol';
import { fileTypeLabel, formatBytes } from '../../lib/files';

const shot: FileInfo = {
  id: 'f-img',
  name: 'screenshot.png',
  type: 'image/png',
  size: 245_760,
  width: 1440,
  height: 900,
};
const pdf: FileInfo = { id: 'f-pdf', name: 'Q3 report.pdf', type: 'application/pdf', size: 1_258_291 };

describe('files in messages', () => {
  it('shows an image as a thumbnail sized from width/height; Enter opens it full size, Escape closes', async () => {
    const user = userEvent.setup();
    render(<MessageFiles files={[shot]} />);
    const thumb = screen.getByRole('button', { name: 'Open image screenshot.png (240 KB)' });
    const img = within(thumb).getByRole('img');
    expect(img).toHaveAttribute('src', '/api/files/f-img/thumbnail');
    expect(img).toHaveAttribute('width', '360'); // 1440x900 into 360x240
    expect(img).toHaveAttribute('height', '225');

    thumb.focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('dialog', { name: 'Image preview: screenshot.png' });
    expect(within(dialog).getByTestId('lightbox-image')).toHaveAttribute('src', '/api/files/f-img');
    expect(within(dialog).getByRole('link', { name: 'Download' })).toHaveAttribute('download', 'screenshot.png');
    expect(dialog).toHaveTextContent('1440×900');
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(thumb).toHaveFocus(); // focus returns to the thumbnail

    await user.click(thumb);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows other files as a chip with name, size and type that downloads', () => {
    render(
      <MessageFiles files={[pdf, { ...pdf, id: 'f-zip', name: 'logs.zip', type: 'application/zip', size: 900 }]} />,
    );
    const list = screen.getByRole('list', { name: 'Files' });
    const [first, second] = within(list).getAllByTestId('file-chip');
    expect(first).toHaveAttribute('href', '/api/files/f-pdf');
    expect(first).toHaveAttribute('download', 'Q3 report.pdf');
    expect(first).toHaveAccessibleName('Download Q3 report.pdf, 1.2 MB, PDF');
    expect(first).toHaveTextContent('Q3 report.pdf1.2 MB · PDF');
    expect(second).toHaveTextContent('logs.zip900 B · ZIP archive');
  });

  it('falls back to a chip when the server has no thumbnail', () => {
    render(<MessageFiles files={[{ ...shot, width: null, height: null }]} />);
    fireEvent.error(screen.getByRole('img'));
    expect(screen.queryByTestId('image-thumb')).toBeNull();
    expect(screen.getByTestId('file-chip')).toHaveAttribute('href', '/api/files/f-img');
  });

  it('sizes and names', () => {
    expect(thumbSize(100, 50)).toEqual({ width: 100, height: 50 }); // never enlarged
    expect(thumbSize(800, 2400)).toEqual({ width: 80, height: 240 });
    expect(thumbSize(undefined, 10)).toBeNull();
    expect([0, 1023, 1024, 1536, 10 * 1024 * 1024, 300 * 1024 * 1024].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1 KB',
      '1.5 KB',
      '10 MB',
      '300 MB',
    ]);
    expect(fileTypeLabel({ type: 'image/webp', name: 'a.webp' })).toBe('WEBP image');
    expect(fileTypeLabel({ type: '', name: 'notes.txt' })).toBe('TXT');
  });
});
