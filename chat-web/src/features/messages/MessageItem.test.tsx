import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MessageItem, type MessageActions } from './MessageItem';
import { fromWire } from './messageStore';
import type { FileInfo } from '../../lib/protocol';
import { alice, bob, msg } from '../../test/fakeSocket';

const shot: FileInfo = {
  id: 'f-img',
  name: 'screenshot.png',
  type: 'image/png',
  size: 245_760,
  width: 1440,
  height: 900,
};
const pdf: FileInfo = { id: 'f-pdf', name: 'Q3 report.pdf', type: 'application/pdf', size: 1_258_291 };

const actions = Object.fromEntries(
  ['reply', 'edit', 'remove', 'react', 'retry', 'discard', 'jumpTo'].map((k) => [k, vi.fn()]),
) as unknown as MessageActions;

describe('MessageItem', () => {
  it('a deleted message shows no files', () => {
    const withFiles = fromWire(msg('r', 1, bob, { body: 'look', files: [shot, pdf] }));
    const { rerender } = render(<MessageItem message={withFiles} first me={alice} quoted={null} actions={actions} />);
    expect(screen.getAllByTestId('file-chip')).toHaveLength(1);
    expect(screen.getAllByTestId('image-thumb')).toHaveLength(1);
    const deleted = fromWire(msg('r', 1, bob, { body: '', deleted: true, files: [shot, pdf] }));
    rerender(<MessageItem message={deleted} first me={alice} quoted={null} actions={actions} />);
    expect(screen.queryByTestId('message-files')).toBeNull();
    expect(screen.getByTestId('message-body')).toHaveTextContent('Message deleted');
  });
});
