// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { buildListItems, GROUP_GAP_MS } from './grouping';
import { fromWire, makePending } from './messageStore';
import { highestVisibleSeq, isAtBottom, scrollAfterChange } from './scroll';
import { TypingSender, typingText, type TypingClock } from './typing';
import { alice, bob, msg } from '../../test/fakeSocket';

describe('typingText', () => {
  it('names one or two typists and summarizes more', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Bob'])).toBe('Bob is typing…');
    expect(typingText(['Bob', 'Carol'])).toBe('Bob and Carol are typing…');
    expect(typingText(['Bob', 'Carol', 'Dan'])).toBe('several people are typing…');
  });
});

describe('TypingSender', () => {
  function clock() {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void; id: number }> = [];
    let ids = 0;
    const c: TypingClock & { advance: (ms: number) => void } = {
      now: () => now,
      setTimeout: (fn, ms) => {
        ids += 1;
        timers.push({ at: now + ms, fn, id: ids });
        return ids;
      },
      clearTimeout: (h) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
      advance: (ms) => {
        now += ms;
        for (const t of [...timers].sort((a, b) => a.at - b.at)) {
          if (t.at <= now && timers.includes(t)) {
            timers.splice(timers.indexOf(t), 1);
            t.fn();
          }
        }
      },
    };
    return c;
  }

  it('sends active:true at most every 3 s while typing, false after 3 s idle', () => {
    const c = clock();
    const send = vi.fn();
    const s = new TypingSender(send, c);
    s.input();
    for (let i = 0; i < 5; i++) {
      c.advance(500);
      s.input();
    }
    expect(send.mock.calls).toEqual([[true]]); // 2.5 s of typing
    c.advance(500);
    s.input(); // 3 s after the first
    expect(send.mock.calls).toEqual([[true], [true]]);
    c.advance(2999);
    expect(send).toHaveBeenCalledTimes(2);
    c.advance(1);
    expect(send.mock.calls.at(-1)).toEqual([false]);
  });

  it('sends active:false when the message is sent, once', () => {
    const c = clock();
    const send = vi.fn();
    const s = new TypingSender(send, c);
    s.input();
    s.stop();
    s.stop();
    c.advance(10_000);
    expect(send.mock.calls).toEqual([[true], [false]]);
    s.input();
    expect(send.mock.calls.at(-1)).toEqual([true]);
  });
});

describe('buildListItems', () => {
  it('groups by sender and day and places the unread divider before the first unread of others', () => {
    const day1 = (min: number) => new Date(2026, 10, 19, 10, min).toISOString();
    const day2 = (min: number) => new Date(2026, 10, 20, 9, min).toISOString();
    const list = [
      fromWire(msg('r', 1, bob, { ts: day1(0) })),
      fromWire(msg('r', 2, bob, { ts: day1(1) })),
      fromWire(msg('r', 3, alice, { ts: day1(2) })),
      fromWire(msg('r', 4, alice, { ts: day2(0) })),
      fromWire(msg('r', 5, bob, { ts: day2(1) })),
      fromWire(msg('r', 6, bob, { ts: day2(1 + GROUP_GAP_MS / 60_000 + 1) })),
    ];
    const items = buildListItems(list, 3, alice.id, new Date(2026, 10, 20, 12, 0));
    expect(items.map((i) => (i.kind === 'message' ? `${i.message.seq}${i.first ? '*' : ''}` : i.kind))).toEqual([
      'day',
      '1*',
      '2',
      '3*',
      'day',
      '4*',
      'unread',
      '5*',
      '6*',
    ]);
    const labels = items.filter((i) => i.kind === 'day').map((i) => (i.kind === 'day' ? i.label : ''));
    expect(labels).toEqual(['Yesterday', 'Today']);
  });

  it('keys every day separator uniquely even when timestamps go back a day', () => {
    // Two servers' clocks (or a clock step) can put a later seq on an earlier day.
    const late = new Date(2026, 10, 19, 23, 59, 59).toISOString();
    const early = new Date(2026, 10, 20, 0, 0, 1).toISOString();
    const list = [
      fromWire(msg('r', 1, bob, { ts: late })),
      fromWire(msg('r', 2, bob, { ts: early })),
      fromWire(msg('r', 3, bob, { ts: late })),
      fromWire(msg('r', 4, bob, { ts: early })),
    ];
    const keys = buildListItems(list, null, alice.id).map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('puts a pending message of mine in my group and no divider without unread', () => {
    const ts = new Date(2026, 10, 20, 10, 0).toISOString();
    const list = [
      fromWire(msg('r', 1, alice, { ts })),
      makePending({ room: 'r', clientMsgId: 'c', sender: alice, body: 'x', ts }),
    ];
    const items = buildListItems(list, null, alice.id);
    expect(items.map((i) => i.kind)).toEqual(['day', 'message', 'message']);
    expect(items[2]?.kind === 'message' && items[2].first).toBe(false);
  });
});

describe('scroll decisions', () => {
  it('keeps the reader in place when older messages are prepended', () => {
    expect(
      scrollAfterChange({
        prevLowest: 51,
        lowest: 1,
        prevHeight: 2000,
        height: 6000,
        wasAtBottom: false,
        iSentLast: false,
      }),
    ).toEqual({ kind: 'keep', delta: 4000 });
    // even when the reader was at the bottom (short list), prepending must not jump
    expect(
      scrollAfterChange({
        prevLowest: 51,
        lowest: 1,
        prevHeight: 500,
        height: 900,
        wasAtBottom: true,
        iSentLast: false,
      }),
    ).toEqual({ kind: 'keep', delta: 400 });
  });

  it('follows new messages only at the bottom or after my own send', () => {
    expect(
      scrollAfterChange({
        prevLowest: 1,
        lowest: 1,
        prevHeight: 100,
        height: 150,
        wasAtBottom: true,
        iSentLast: false,
      }),
    ).toEqual({ kind: 'bottom' });
    expect(
      scrollAfterChange({
        prevLowest: 1,
        lowest: 1,
        prevHeight: 100,
        height: 150,
        wasAtBottom: false,
        iSentLast: false,
      }),
    ).toEqual({ kind: 'none' });
    expect(
      scrollAfterChange({
        prevLowest: 1,
        lowest: 1,
        prevHeight: 100,
        height: 150,
        wasAtBottom: false,
        iSentLast: true,
      }),
    ).toEqual({ kind: 'bottom' });
  });

  it('finds the highest visible seq and the bottom', () => {
    const rows = [
      { seq: 1, top: -100, bottom: -10 },
      { seq: 2, top: -10, bottom: 40 },
      { seq: 3, top: 40, bottom: 290 },
      { seq: 4, top: 300, bottom: 350 },
    ];
    expect(highestVisibleSeq(rows, 0, 300)).toBe(3);
    expect(highestVisibleSeq([], 0, 300)).toBeNull();
    expect(isAtBottom({ scrollTop: 952, scrollHeight: 1300, clientHeight: 300 })).toBe(true);
    expect(isAtBottom({ scrollTop: 500, scrollHeight: 1300, clientHeight: 300 })).toBe(false);
  });
});
