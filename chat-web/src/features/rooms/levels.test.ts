// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  applyMessageToRoom,
  applyReadToRoom,
  applyUpdateToRoom,
  attentionCount,
  mentionCount,
  previewOf,
  totalAttention,
  upsertRoom,
} from './roomsState';
import { alice, bob, carol, msg, summary } from '../../test/fakeSocket';

describe('mentions and notification levels in the sidebar', () => {
  it('counts unread messages that mention me, by the server’s mentions (also @room)', () => {
    let r = summary('r', { lastSeq: 2, lastReadSeq: 2, unread: 0, mentions: 0 });
    r = applyMessageToRoom(r, msg('r', 3, bob, { body: 'hi @alice', mentions: [alice.id] }), alice.id);
    r = applyMessageToRoom(
      r,
      msg('r', 4, bob, { body: '@room lunch', mentions: [alice.id, bob.id, carol.id] }),
      alice.id,
    );
    r = applyMessageToRoom(r, msg('r', 5, bob, { body: 'hi @carol', mentions: [carol.id] }), alice.id);
    r = applyMessageToRoom(r, msg('r', 5, bob, { body: 'hi @alice', mentions: [alice.id] }), alice.id); // a repeat
    r = applyMessageToRoom(r, msg('r', 6, alice, { body: '@alice note', mentions: [alice.id] }), alice.id); // mine
    expect(r).toMatchObject({ unread: 3, mentions: 2, lastSeq: 6 });
  });

  it('leaves the count alone for messages from servers without mentions', () => {
    const r = applyMessageToRoom(summary('r'), msg('r', 1, bob, { body: 'hey @alice' }), alice.id);
    expect(r.unread).toBe(1);
    expect(mentionCount(r)).toBe(0);
    expect(r).not.toHaveProperty('mentions');
  });

  it('recounts mentions when my read marker moves, and drops one for a deleted mention', () => {
    const loaded = [1, 2, 3, 4].map((s) => msg('r', s, bob, s % 2 === 0 ? { mentions: [alice.id] } : {}));
    const r = summary('r', { lastSeq: 4, lastReadSeq: 0, unread: 4, mentions: 2, lastMessage: loaded[3] });
    expect(applyReadToRoom(r, 2, loaded, alice.id)).toMatchObject({ unread: 2, mentions: 1 });
    expect(applyReadToRoom(r, 4, loaded, alice.id)).toMatchObject({ unread: 0, mentions: 0 });
    expect(applyReadToRoom(r, 3, undefined, alice.id)).toMatchObject({ unread: 1, mentions: 1 }); // estimate
    const deleted = applyUpdateToRoom(r, { messageId: 'r-m4', body: '', deleted: true, reactions: {} }, alice.id);
    expect(deleted).toMatchObject({ unread: 3, mentions: 1 });
    expect(deleted.lastMessage?.files).toEqual([]);
  });

  it('keeps the lower mention count when a stale summary arrives', () => {
    const rooms = { r: summary('r', { lastSeq: 5, lastReadSeq: 5, unread: 0, mentions: 0 }) };
    const next = upsertRoom(
      rooms,
      summary('r', { lastSeq: 5, lastReadSeq: 3, unread: 2, mentions: 1, notify: 'none' }),
    );
    expect(next.r).toMatchObject({ lastReadSeq: 5, unread: 0, mentions: 0, notify: 'none' });
  });

  it('attention follows the level: all = unread, mentions = mentions, none = nothing', () => {
    const all = summary('a', { unread: 5, mentions: 1, notify: 'all' });
    const legacy = summary('l', { unread: 2 }); // no level: all
    const mentionsOnly = summary('m', { unread: 7, mentions: 2, notify: 'mentions' });
    const none = summary('n', { unread: 9, mentions: 3, notify: 'none' });
    expect([all, legacy, mentionsOnly, none].map(attentionCount)).toEqual([5, 2, 2, 0]);
    expect(totalAttention({ a: all, l: legacy, m: mentionsOnly, n: none })).toBe(9);
  });

  it('previews a message with files and no text by its files', () => {
    const file = { id: 'f1', name: 'report.pdf', type: 'application/pdf', size: 10 };
    const one = summary('r', { lastMessage: msg('r', 1, bob, { body: '', files: [file] }) });
    expect(previewOf(one, alice)).toBe('Bob: 📎 report.pdf');
    const two = summary('r', { lastMessage: msg('r', 1, alice, { body: '', files: [file, { ...file, id: 'f2' }] }) });
    expect(previewOf(two, alice)).toBe('You: 📎 2 files');
  });
});
