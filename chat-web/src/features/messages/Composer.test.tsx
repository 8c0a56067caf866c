import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Composer } from './Composer';
import { MAX_BODY_CHARS } from '../../lib/protocol';

function setup(onSend = vi.fn().mockReturnValue(true)) {
  const onTyping = vi.fn();
  const user = userEvent.setup();
  render(
    <Composer
      roomId={`r${Math.random()}`}
      roomName="#general"
      replyTo={null}
      onCancelReply={vi.fn()}
      onSend={onSend}
      onTyping={onTyping}
    />,
  );
  return { user, onSend, onTyping, box: screen.getByTestId('composer') };
}

describe('Composer', () => {
  it('Enter sends and clears; Shift+Enter adds a new line', async () => {
    const { user, onSend, onTyping, box } = setup();
    expect(box).toHaveAccessibleName('Message #general');
    await user.type(box, 'hello{Shift>}{Enter}{/Shift}world');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('hello\nworld');
    expect(onTyping).toHaveBeenLastCalledWith(true);
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('hello\nworld');
    expect(box).toHaveValue('');
  });

  it('does not send empty or blank bodies', async () => {
    const { user, onSend, box } = setup();
    await user.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled();
  });

  it('shows a counter near the limit and refuses a body over it', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: 'x'.repeat(MAX_BODY_CHARS - 10) } });
    expect(screen.getByTestId('char-counter')).toHaveTextContent('10 characters left');
    fireEvent.change(box, { target: { value: 'x'.repeat(MAX_BODY_CHARS + 5) } });
    expect(screen.getByTestId('char-counter')).toHaveTextContent('5 characters too long');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    // trailing blanks do not count
    fireEvent.change(box, { target: { value: `${'x'.repeat(MAX_BODY_CHARS)}   ` } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it('keeps the text when the send was refused', async () => {
    const { user, box } = setup(vi.fn().mockReturnValue(false));
    await user.type(box, 'hi{Enter}');
    expect(box).toHaveValue('hi');
  });
});
