import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Composer } from './Composer';
import { MAX_BODY_CHARS } from '../../lib/protocol';
import { alice, bob, carol, msg } from '../../test/fakeSocket';
import { fromWire } from './messageStore';

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

  describe('@ autocomplete', () => {
    function setupMentions(replyTo = false) {
      const onSend = vi.fn().mockReturnValue(true);
      const onCancelReply = vi.fn();
      const user = userEvent.setup();
      render(
        <Composer
          roomId={`r${Math.random()}`}
          roomName="#general"
          replyTo={replyTo ? fromWire(msg('r', 1, bob)) : null}
          onCancelReply={onCancelReply}
          onSend={onSend}
          onTyping={vi.fn()}
          members={[alice, bob, carol]}
          meId={alice.id}
          allowRoomMention
        />,
      );
      return { user, onSend, onCancelReply, box: screen.getByTestId('composer') };
    }
    const options = () => screen.getAllByRole('option');
    const selected = () => screen.getByRole('option', { selected: true });

    it('opens on @, moves with the arrow keys, picks with Enter without sending', async () => {
      const { user, onSend, box } = setupMentions();
      await user.type(box, 'hi @');
      const list = screen.getByRole('listbox', { name: 'Mention suggestions' });
      expect(options().map((o) => o.getAttribute('data-username'))).toEqual(['bob', 'carol', 'room']);
      expect(selected()).toHaveAttribute('data-username', 'bob');
      expect(box).toHaveAttribute('aria-controls', list.id);
      expect(box).toHaveAttribute('aria-activedescendant', selected().id);
      await user.keyboard('{ArrowDown}');
      expect(selected()).toHaveAttribute('data-username', 'carol');
      await user.keyboard('{ArrowUp}{ArrowUp}');
      expect(selected()).toHaveAttribute('data-username', 'room'); // wraps
      await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
      expect(box).toHaveValue('hi @carol ');
      expect(onSend).not.toHaveBeenCalled();
      expect(screen.queryByRole('listbox')).toBeNull();
      await user.keyboard('lunch?{Enter}');
      expect(onSend).toHaveBeenCalledWith('hi @carol lunch?');
    });

    it('narrows as you type and picks with Tab; @room too', async () => {
      const { user, box } = setupMentions();
      await user.type(box, '@ca');
      expect(options().map((o) => o.getAttribute('data-username'))).toEqual(['carol']);
      await user.keyboard('{Tab}');
      expect(box).toHaveValue('@carol ');
      expect(box).toHaveFocus();
      await user.type(box, 'and @ro');
      await user.keyboard('{Tab}');
      expect(box).toHaveValue('@carol and @room ');
      await user.type(box, '@zz');
      expect(screen.queryByRole('listbox')).toBeNull(); // no match, no list
    });

    it('Escape closes the list and keeps the reply; a click picks', async () => {
      const { user, onCancelReply, box } = setupMentions(true);
      await user.type(box, '@b');
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('listbox')).toBeNull();
      expect(onCancelReply).not.toHaveBeenCalled();
      expect(box).toHaveValue('@b');
      await user.keyboard('{Escape}'); // now Escape cancels the reply
      expect(onCancelReply).toHaveBeenCalledTimes(1);
      await user.type(box, ' @');
      await user.click(screen.getByRole('option', { name: /@carol/ }));
      expect(box).toHaveValue('@b @carol ');
    });
  });
});
