// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { notificationFor, titleFor } from './notifications';
import { alice, bob, msg, summary } from '../../test/fakeSocket';

describe('notifications', () => {
  it('tab title', () => {
    expect(titleFor(0)).toBe('Natter');
    expect(titleFor(3)).toBe('(3) Natter');
  });

  const plain = msg('g', 1, bob, { body: 'lunch?', mentions: [] });
  const mention = msg('g', 2, bob, { body: 'lunch @alice?', mentions: [alice.id] });
  const everyone = msg('g', 3, bob, { body: '@room lunch', mentions: [alice.id, bob.id] });

  it('follows the room’s level: all, mentions, none', () => {
    const at = (notify: 'all' | 'mentions' | 'none') => summary('g', { name: 'General', notify });
    expect(notificationFor(plain, at('all'), alice)).toEqual({ title: 'Bob in General', body: 'lunch?' });
    expect(notificationFor(plain, at('mentions'), alice)).toBeNull();
    expect(notificationFor(mention, at('mentions'), alice)).toEqual({ title: 'Bob in General', body: 'lunch @alice?' });
    expect(notificationFor(everyone, at('mentions'), alice)).not.toBeNull();
    expect(notificationFor(mention, at('none'), alice)).toBeNull();
    expect(notificationFor(everyone, at('none'), alice)).toBeNull();
    const dm = summary('d', { kind: 'dm', name: 'Bob', notify: 'none' });
    expect(notificationFor(msg('d', 1, bob), dm, alice)).toBeNull();
  });

  it('without levels (older server): DMs and @username mentions in groups', () => {
    const group = summary('g', { name: 'General' });
    expect(notificationFor(msg('g', 1, bob, { body: 'lunch?' }), group, alice)).toBeNull();
    expect(notificationFor(msg('g', 1, bob, { body: 'hey @alice' }), group, alice)).not.toBeNull();
    expect(notificationFor(msg('d', 1, bob), summary('d', { kind: 'dm', name: 'Bob' }), alice)?.title).toBe('Bob');
  });

  it('trusts the server’s mentions over the body when it sent them', () => {
    const room = summary('g', { name: 'General', notify: 'mentions' });
    expect(notificationFor(msg('g', 1, bob, { body: '`@alice` in code', mentions: [] }), room, alice)).toBeNull();
  });

  it('describes a message with only files', () => {
    const file = { id: 'f', name: 'shot.png', type: 'image/png', size: 5 };
    const n = notificationFor(msg('g', 1, bob, { body: '', files: [file] }), summary('g', { notify: 'all' }), alice);
    expect(n?.body).toBe('📎 shot.png');
  });
});
