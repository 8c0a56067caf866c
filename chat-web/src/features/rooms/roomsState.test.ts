// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  applyMessageToRoom,
  applyReadToRoom,
  applyUpdateToRoom,
  previewOf,
  sortRooms,
  totalUnread,
  upsertRoom,
} from './roomsState';
import { alice, bob, msg, summary } from '../../test/fakeSocket';

describe('rooms', () => {
  it('sorts by latest activity, rooms without messages last by name', () => {
    const rooms = [
      summary('a', { name: 'Zed' }),
      summary('b', { lastMessage: msg('b', 1, bob, { ts: '2026-11-20T10:00:00Z' }) }),
      summary('c', { lastMessage: msg('c', 1, bob, { ts: '2026-11-20T11:00:00Z' }) }),
      summary('d', { name: 'Alpha' }),
    ];
    expect(sortRooms(rooms).map((r) => r.id)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('counts others’ new messages as unread, never twice, never mine', () => {
    let r = summary('r', { lastSeq: 2, lastReadSeq: 2 });
    r = applyMessageToRoom(r, msg('r', 3, bob), alice.id);
    r = applyMessageToRoom(r, msg('r', 3, bob), alice.id);
    r = applyMessageToRoom(r, msg('r', 4, alice), alice.id);
    r = applyMessageToRoom(r, msg('r', 2, bob), alice.id); // an old one (history)
    expect(r).toMatchObject({ unread: 1, lastSeq: 4 });
    expect(r.lastMessage?.seq).toBe(4);
  });

  it('recounts unread precisely from loaded messages when the read marker moves', () => {
    const r = summary('r', { lastSeq: 5, lastReadSeq: 1, unread: 4 });
    const loaded = [1, 2, 3, 4, 5].map((s) => msg('r', s, s === 4 ? alice : bob)); // ChatMessage has this shape too
    expect(applyReadToRoom(r, 3, loaded, alice.id)).toMatchObject({ lastReadSeq: 3, unread: 1 }); // 5 only (4 is mine)
    expect(applyReadToRoom(r, 5, loaded, alice.id).unread).toBe(0);
    expect(applyReadToRoom(r, 3, undefined, alice.id).unread).toBe(2); // estimate: min(4, 5-3)
    expect(applyReadToRoom(r, 1, loaded, alice.id)).toBe(r); // never backwards
  });

  it('a deleted last message drops from the unread count and the preview', () => {
    const last = msg('r', 3, bob);
    const r = summary('r', { lastSeq: 3, lastReadSeq: 2, unread: 1, lastMessage: last });
    const next = applyUpdateToRoom(r, { messageId: last.messageId, body: '', deleted: true, reactions: {} }, alice.id);
    expect(next.unread).toBe(0);
    expect(previewOf(next, alice)).toBe('Bob: Message deleted');
  });

  it('upsert keeps a read marker that is ahead of the server’s summary', () => {
    const map = { r: summary('r', { lastSeq: 5, lastReadSeq: 5, unread: 0 }) };
    const next = upsertRoom(map, summary('r', { lastSeq: 5, lastReadSeq: 3, unread: 2 }));
    expect(next.r).toMatchObject({ lastReadSeq: 5, unread: 0 });
    expect(totalUnread({ a: summary('a', { unread: 2 }), b: summary('b', { unread: 3 }) })).toBe(5);
  });

  it('previews: mine as "You", others by name in groups, plain in DMs', () => {
    expect(previewOf(summary('r', { lastMessage: msg('r', 1, alice, { body: 'hi\nthere' }) }), alice)).toBe(
      'You: hi there',
    );
    expect(previewOf(summary('r', { lastMessage: msg('r', 1, bob, { body: 'yo' }) }), alice)).toBe('Bob: yo');
    expect(previewOf(summary('r', { kind: 'dm', lastMessage: msg('r', 1, bob, { body: 'yo' }) }), alice)).toBe('yo');
  });
});

describe('plainText', () => {
  it('drops markdown markers for previews', async () => {
    const { plainText } = await import('./roomsState');
    expect(plainText('Hello **big** *small* `code`\n```\nblock\n```')).toBe('Hello big small code block');
    expect(plainText('2 * 3 * 4')).toBe('2 * 3 * 4');
  });
});
