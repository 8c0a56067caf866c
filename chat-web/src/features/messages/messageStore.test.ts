// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  addPending,
  applyAck,
  applyUpdate,
  fromWire,
  highestContiguousSeq,
  lowestSeq,
  makePending,
  markFailed,
  markPending,
  mergeMessages,
  pendingMessages,
  replaceWithPage,
  type ChatMessage,
} from './messageStore';
import { alice, bob, msg } from '../../test/fakeSocket';

const seqs = (list: ChatMessage[]) => list.map((m) => m.seq);
const ids = (list: ChatMessage[]) => list.map((m) => m.messageId);

function pending(clientMsgId: string, body = 'hi') {
  return makePending({ room: 'r', clientMsgId, sender: alice, body, ts: '2026-11-20T10:05:00.000Z' });
}

describe('mergeMessages', () => {
  it('orders by seq whatever the arrival order', () => {
    const list = mergeMessages([], [msg('r', 3), msg('r', 1), msg('r', 2)]);
    expect(seqs(list)).toEqual([1, 2, 3]);
  });

  it('keeps each message once when it arrives again (echo, replay, overlapping page)', () => {
    let list = mergeMessages([], [msg('r', 1), msg('r', 2)]);
    list = mergeMessages(list, [msg('r', 2), msg('r', 3)]);
    list = mergeMessages(list, [msg('r', 1), msg('r', 3), msg('r', 3)]);
    expect(seqs(list)).toEqual([1, 2, 3]);
    expect(new Set(ids(list)).size).toBe(3);
  });

  it('dedupes by messageId even when seq is missing from a second copy', () => {
    const first = fromWire(msg('r', 5));
    const list = mergeMessages([first], [{ ...first, key: 'other' }]);
    expect(list).toHaveLength(1);
    expect(list[0]?.key).toBe(first.key);
  });

  it('returns the same array when nothing comes in', () => {
    const list = mergeMessages([], [msg('r', 1)]);
    expect(mergeMessages(list, [])).toBe(list);
  });

  it('never lets an older copy undo an edit or a deletion', () => {
    let list = mergeMessages([], [msg('r', 1)]);
    list = applyUpdate(list, {
      seq: 1,
      messageId: 'r-m1',
      body: 'edited',
      editedAt: '2026-11-20T11:00:00Z',
      deleted: false,
      reactions: {},
    });
    list = mergeMessages(list, [msg('r', 1)]); // a replay of the original
    expect(list[0]?.body).toBe('edited');
    list = applyUpdate(list, { seq: 1, messageId: 'r-m1', body: '', deleted: true, reactions: {} });
    list = mergeMessages(list, [msg('r', 1)]);
    expect(list[0]?.deleted).toBe(true);
    expect(list[0]?.body).toBe('');
  });

  it('keeps unconfirmed messages after the confirmed ones, in the order written', () => {
    let list = addPending([], pending('c1', 'first'));
    list = addPending(list, pending('c2', 'second'));
    list = mergeMessages(list, [msg('r', 7), msg('r', 6)]);
    expect(list.map((m) => m.seq ?? m.body)).toEqual([6, 7, 'first', 'second']);
  });
});

describe('optimistic send', () => {
  it('pending -> acked replaces the pending copy and keeps its React key', () => {
    let list = addPending(mergeMessages([], [msg('r', 1)]), pending('c1'));
    expect(list[1]?.status).toBe('pending');
    list = applyAck(list, { clientMsgId: 'c1', seq: 2, messageId: 'mX', ts: '2026-11-20T10:05:01.000Z' });
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ seq: 2, messageId: 'mX', status: 'sent', key: 'c1' });
  });

  it('the message echo (with clientMsgId) before the ack confirms it once; the ack is then a no-op', () => {
    let list = addPending([], pending('c1'));
    list = mergeMessages(list, [msg('r', 4, alice, { messageId: 'mX', clientMsgId: 'c1', body: 'hi' })]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ seq: 4, status: 'sent', key: 'c1' });
    const after = applyAck(list, { clientMsgId: 'c1', seq: 4, messageId: 'mX', ts: 'x' });
    expect(after).toBe(list);
  });

  it('the ack before the echo confirms it once; the echo then merges into it', () => {
    let list = addPending([], pending('c1'));
    list = applyAck(list, { clientMsgId: 'c1', seq: 4, messageId: 'mX', ts: '2026-11-20T10:05:01.000Z' });
    list = mergeMessages(list, [msg('r', 4, alice, { messageId: 'mX', clientMsgId: 'c1', body: 'hi' })]);
    expect(list).toHaveLength(1);
    expect(list[0]?.key).toBe('c1');
  });

  it('a copy without clientMsgId (history of another device) meets the ack by messageId', () => {
    let list = addPending([], pending('c1'));
    list = mergeMessages(list, [msg('r', 4, alice, { messageId: 'mX', body: 'hi' })]);
    expect(list).toHaveLength(2); // cannot know yet that they are the same
    list = applyAck(list, { clientMsgId: 'c1', seq: 4, messageId: 'mX', ts: 'x' });
    expect(list).toHaveLength(1);
    expect(list[0]?.status).toBe('sent');
  });

  it('failed -> retry -> pending keeps the same clientMsgId; a late ack still confirms', () => {
    let list = addPending([], pending('c1'));
    list = markFailed(list, 'c1', 'rate limited');
    expect(list[0]).toMatchObject({ status: 'failed', error: 'rate limited', clientMsgId: 'c1' });
    list = markPending(list, 'c1');
    expect(list[0]).toMatchObject({ status: 'pending', clientMsgId: 'c1' });
    expect(pendingMessages(list).map((m) => m.clientMsgId)).toEqual(['c1']);
    list = markFailed(list, 'c1', 'timeout');
    list = applyAck(list, { clientMsgId: 'c1', seq: 9, messageId: 'm9', ts: 'x' });
    expect(list[0]).toMatchObject({ status: 'sent', seq: 9 });
  });

  it('an unconfirmed copy never overwrites a stored one', () => {
    const stored = mergeMessages([], [msg('r', 4, alice, { messageId: 'mX', clientMsgId: 'c1' })]);
    const list = mergeMessages(stored, [pending('c1')]);
    expect(list).toHaveLength(1);
    expect(list[0]?.status).toBe('sent');
  });
});

describe('paging', () => {
  it('an older page is prepended without duplicates and seqs stay ordered', () => {
    const newest = mergeMessages(
      [],
      [51, 52, 53, 54, 55].map((s) => msg('r', s)),
    );
    // the server answers before=51 with 46..50, plus an overlapping 51 for good measure
    const page = [46, 47, 48, 49, 50, 51].map((s) => msg('r', s));
    const list = mergeMessages(newest, page);
    expect(seqs(list)).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    expect(lowestSeq(list)).toBe(46);
    // the existing objects are kept, so React does not re-render the old rows
    expect(list[5]?.key).toBe(newest[0]?.key);
  });

  it('highestContiguousSeq stops at the first gap', () => {
    const list = mergeMessages(
      [],
      [3, 4, 5, 8, 9].map((s) => msg('r', s)),
    );
    expect(highestContiguousSeq(list)).toBe(5);
    expect(highestContiguousSeq([])).toBeNull();
    expect(highestContiguousSeq(addPending(list, pending('c')))).toBe(5);
  });

  it('replaceWithPage drops a stale window but keeps unconfirmed messages', () => {
    let list = mergeMessages(
      [],
      [1, 2, 3].map((s) => msg('r', s)),
    );
    list = addPending(list, pending('c1'));
    list = replaceWithPage(
      list,
      [200, 201].map((s) => msg('r', s)),
    );
    expect(list.map((m) => m.seq)).toEqual([200, 201, null]);
  });
});

describe('applyUpdate', () => {
  it('edits, deletes and reacts by messageId; unknown ids change nothing', () => {
    let list = mergeMessages([], [msg('r', 1), msg('r', 2)]);
    list = applyUpdate(list, {
      seq: 2,
      messageId: 'r-m2',
      body: 'new',
      editedAt: '2026-11-20T12:00:00Z',
      deleted: false,
      reactions: { '👍': [bob.id] },
    });
    expect(list[1]).toMatchObject({ body: 'new', editedAt: '2026-11-20T12:00:00Z', reactions: { '👍': [bob.id] } });
    list = applyUpdate(list, { seq: 1, messageId: 'r-m1', body: 'ignored', deleted: true, reactions: {} });
    expect(list[0]).toMatchObject({ deleted: true, body: '' });
    const same = applyUpdate(list, { seq: 99, messageId: 'nope', body: '', deleted: true, reactions: {} });
    expect(same).toBe(list);
  });
});
