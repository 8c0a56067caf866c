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

  it('highlights messages that mention me (server mentions, @room, or @me from older servers), never mine', () => {
    const render1 = (extra: Parameters<typeof msg>[3], sender = bob) => {
      const { unmount } = render(
        <MessageItem message={fromWire(msg('r', 1, sender, extra))} first me={alice} quoted={null} actions={actions} />,
      );
      const mentioned = screen.getByTestId('message').getAttribute('data-mentioned');
      unmount();
      return mentioned;
    };
    expect(render1({ body: 'hi @alice', mentions: [alice.id] })).toBe('true');
    expect(render1({ body: '@room standup', mentions: [alice.id, bob.id] })).toBe('true');
    expect(render1({ body: 'hey @alice' })).toBe('true'); // no mentions field: the body decides
    expect(render1({ body: '`@alice`', mentions: [] })).toBeNull(); // the server said no
    expect(render1({ body: 'hi @carol', mentions: ['u-carol'] })).toBeNull();
    expect(render1({ body: 'note to @alice', mentions: [alice.id] }, alice)).toBeNull();
  });
});
