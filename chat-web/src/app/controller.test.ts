// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatController } from './controller';
import type { Notifier } from '../features/notifications/notifications';
import { ChatSocket } from '../lib/socket';
import { FakeSocketServer, alice, bob, carol, msg, summary } from '../test/fakeSocket';
import type { FileInfo, RoomSummary } from '../lib/protocol';
import type { UploadFile } from '../features/files/filesApi';

function readyEvent(rooms: RoomSummary[], presence: unknown[] = []) {
  return { type: 'ready', user: alice, heartbeat: { intervalMs: 25000, timeoutMs: 60000 }, rooms, presence };
}

describe('ChatController', () => {
  let server: FakeSocketServer;
  let c: ChatController;
  let hidden: boolean;
  let notifier: Notifier & { calls: string[][] };
  let now: number;

  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeSocketServer();
    hidden = false;
    now = Date.UTC(2026, 10, 20, 12, 0, 0);
    notifier = {
      calls: [],
      notify(title, body) {
        this.calls.push([title, body]);
      },
    };
    const socket = new ChatSocket({
      url: 'ws://t/ws',
      createSocket: server.create,
      random: () => 0,
      backoff: { baseMs: 100, maxMs: 1000 },
    });
    c = new ChatController({ me: alice, socket, notifier, isHidden: () => hidden, now: () => now, ackTimeoutMs: 5000 });
    c.start();
  });
  afterEach(() => {
    c.stop();
    vi.useRealTimers();
  });

  function connect(rooms: RoomSummary[], presence: unknown[] = []) {
    server.last.open();
    server.last.emit(readyEvent(rooms, presence));
  }

  /** Opens room r and answers its newest page. */
  function openWith(room: string, seqsLoaded: number[], hasMore = false) {
    c.openRoom(room);
    const req = server.last.sentOfType('history').at(-1);
    expect(req).toMatchObject({ room });
    expect(req?.before).toBeUndefined();
    server.last.emit({ type: 'history', id: req?.id, room, messages: seqsLoaded.map((s) => msg(room, s)), hasMore });
  }

  const seqsOf = (room: string) => c.getState().conversations[room]?.messages.map((m) => m.seq);

  it('fills the sidebar and presence from ready', () => {
    connect([summary('r1', { lastSeq: 3, unread: 2 })], [{ user: bob, status: 'online', lastSeen: null }]);
    const s = c.getState();
    expect(s.connection).toBe('online');
    expect(Object.keys(s.rooms)).toEqual(['r1']);
    expect(s.presence[bob.id]?.status).toBe('online');
  });

  it('pages older history with before = lowest seq and merges without duplicates', async () => {
    connect([summary('r1', { lastSeq: 60 })]);
    openWith('r1', [51, 52, 53, 54, 55, 56, 57, 58, 59, 60], true);
    const loading = c.loadOlder('r1');
    expect(c.getState().conversations.r1?.loadingOlder).toBe(true);
    const req = server.last.sentOfType('history').at(-1);
    expect(req).toMatchObject({ room: 'r1', before: 51 });
    void c.loadOlder('r1'); // a second scroll event while loading sends nothing
    expect(server.last.sentOfType('history')).toHaveLength(2);
    server.last.emit({
      type: 'history',
      id: req?.id,
      room: 'r1',
      messages: [49, 50, 51].map((s) => msg('r1', s)),
      hasMore: false,
    });
    await loading;
    expect(seqsOf('r1')).toEqual([49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect(c.getState().conversations.r1?.hasMore).toBe(false);
  });

  it('after a reconnect it syncs from the highest contiguous seq and merges the replay in order, once', () => {
    connect([summary('r1', { lastSeq: 5 }), summary('r2', { lastSeq: 2 })]);
    openWith('r1', [1, 2, 3, 4, 5]);
    // a live message past a gap (6 and 7 were lost with the connection)
    server.last.emit({ type: 'message', ...msg('r1', 8) });
    server.last.serverClose(1006);
    expect(c.getState().connection).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    connect([summary('r1', { lastSeq: 9 }), summary('r2', { lastSeq: 2 })]);
    const sync = server.last.sentOfType('sync');
    expect(sync).toHaveLength(1);
    expect(sync[0]?.rooms).toEqual({ r1: 5 }); // r2 was never loaded
    for (const s of [6, 7, 8, 9]) server.last.emit({ type: 'message', ...msg('r1', s) });
    server.last.emit({ type: 'synced', id: sync[0]?.id, room: 'r1', upToSeq: 9, limited: false });
    expect(seqsOf('r1')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a limited sync reloads the newest page', () => {
    connect([summary('r1', { lastSeq: 3 })]);
    openWith('r1', [1, 2, 3]);
    server.last.serverClose(1001);
    vi.advanceTimersByTime(100);
    connect([summary('r1', { lastSeq: 900 })]);
    const sync = server.last.sentOfType('sync')[0];
    server.last.emit({ type: 'message', ...msg('r1', 4) });
    server.last.emit({ type: 'synced', id: sync?.id, room: 'r1', upToSeq: 4, limited: true });
    const reload = server.last.sentOfType('history').at(-1);
    expect(reload).toMatchObject({ room: 'r1' });
    expect(reload?.before).toBeUndefined();
    server.last.emit({
      type: 'history',
      id: reload?.id,
      room: 'r1',
      messages: [899, 900].map((s) => msg('r1', s)),
      hasMore: true,
    });
    expect(seqsOf('r1')).toEqual([899, 900]);
    expect(c.getState().conversations.r1?.hasMore).toBe(true);
  });

  it('sends optimistically, confirms on ack, and resends unacked messages after reconnect with the same clientMsgId', () => {
    connect([summary('r1', { lastSeq: 1 })]);
    openWith('r1', [1]);
    expect(c.sendMessage('r1', '  hello  ')).toBe(true);
    expect(c.sendMessage('r1', '   ')).toBe(false);
    const send = server.last.sentOfType('send')[0];
    expect(send).toMatchObject({ room: 'r1', body: 'hello' });
    const clientMsgId = send?.clientMsgId ?? '';
    expect(clientMsgId).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.getState().conversations.r1?.messages.at(-1)).toMatchObject({ status: 'pending', body: 'hello' });
    // the connection drops before the ack
    server.last.serverClose(1006);
    c.sendMessage('r1', 'while offline');
    vi.advanceTimersByTime(100);
    connect([summary('r1', { lastSeq: 1 })]);
    const resent = server.last.sentOfType('send');
    expect(resent.map((s) => s.body)).toEqual(['hello', 'while offline']);
    expect(resent[0]?.clientMsgId).toBe(clientMsgId);
    // server: the echo and the ack for the first, the ack only for the second
    server.last.emit({ type: 'message', ...msg('r1', 2, alice, { body: 'hello', clientMsgId, messageId: 'mA' }) });
    server.last.emit({
      type: 'ack',
      id: resent[0]?.id,
      clientMsgId,
      room: 'r1',
      seq: 2,
      messageId: 'mA',
      ts: '2026-11-20T12:00:01Z',
    });
    server.last.emit({
      type: 'ack',
      id: resent[1]?.id,
      clientMsgId: resent[1]?.clientMsgId ?? '',
      room: 'r1',
      seq: 3,
      messageId: 'mB',
      ts: '2026-11-20T12:00:02Z',
    });
    const list = c.getState().conversations.r1?.messages ?? [];
    expect(list.map((m) => [m.seq, m.status])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [3, 'sent'],
    ]);
  });

  it('marks a send failed on an error or a missing ack, and retry reuses the clientMsgId', () => {
    connect([summary('r1')]);
    openWith('r1', []);
    c.sendMessage('r1', 'one');
    const first = server.last.sentOfType('send')[0];
    server.last.emit({ type: 'error', id: first?.id, code: 'rate_limited', message: 'slow down' });
    let m = c.getState().conversations.r1?.messages[0];
    expect(m).toMatchObject({ status: 'failed' });
    expect(m?.error).toMatch(/slow down|too many/i);
    c.retry('r1', first?.clientMsgId ?? '');
    const second = server.last.sentOfType('send')[1];
    expect(second?.clientMsgId).toBe(first?.clientMsgId);
    expect(second?.id).not.toBe(first?.id);
    vi.advanceTimersByTime(5000);
    m = c.getState().conversations.r1?.messages[0];
    expect(m).toMatchObject({ status: 'failed', error: 'No answer from the server.' });
  });

  it('counts unread for others and drops it on my own read event (another device)', () => {
    connect([summary('r1', { lastSeq: 2, lastReadSeq: 2 })]);
    server.last.emit({ type: 'message', ...msg('r1', 3, bob) });
    server.last.emit({ type: 'message', ...msg('r1', 4, alice) });
    server.last.emit({ type: 'message', ...msg('r1', 5, bob) });
    server.last.emit({ type: 'message', ...msg('r1', 5, bob) }); // duplicate delivery
    expect(c.getState().rooms.r1?.unread).toBe(2);
    expect(c.getState().rooms.r1?.lastMessage?.seq).toBe(5);
    server.last.emit({ type: 'read', room: 'r1', user: bob, seq: 5 }); // someone else's marker
    expect(c.getState().rooms.r1?.unread).toBe(2);
    server.last.emit({ type: 'read', room: 'r1', user: alice, seq: 5 });
    expect(c.getState().rooms.r1?.unread).toBe(0);
  });

  it('markRead sends read once per advance and updates the count', () => {
    connect([summary('r1', { lastSeq: 4, unread: 3, lastReadSeq: 1 })]);
    openWith('r1', [1, 2, 3, 4]);
    c.markRead('r1', 3);
    c.markRead('r1', 3);
    c.markRead('r1', 2);
    expect(server.last.sentOfType('read')).toEqual([{ type: 'read', room: 'r1', seq: 3 }]);
    expect(c.getState().rooms.r1?.unread).toBe(1);
  });

  it('shows remote typing and expires it after 6 s without refresh', () => {
    connect([summary('r1')]);
    server.last.emit({ type: 'typing', room: 'r1', user: bob, active: true });
    server.last.emit({ type: 'typing', room: 'r1', user: alice, active: true }); // myself: ignored
    expect(Object.keys(c.getState().typing.r1 ?? {})).toEqual([bob.id]);
    now += 6001;
    vi.advanceTimersByTime(6100);
    expect(Object.keys(c.getState().typing.r1 ?? {})).toEqual([]);
    server.last.emit({ type: 'typing', room: 'r1', user: carol, active: true });
    server.last.emit({ type: 'message', ...msg('r1', 1, carol) });
    expect(Object.keys(c.getState().typing.r1 ?? {})).toEqual([]);
  });

  it('sends typing true at most every 3 s and false when idle or sending', () => {
    connect([summary('r1')]);
    openWith('r1', []);
    c.typingInput('r1');
    vi.advanceTimersByTime(1000);
    c.typingInput('r1');
    expect(server.last.sentOfType('typing')).toEqual([{ type: 'typing', room: 'r1', active: true }]);
    vi.advanceTimersByTime(3000);
    expect(server.last.sentOfType('typing').map((t) => t.active)).toEqual([true, false]);
    c.typingInput('r1');
    c.sendMessage('r1', 'done');
    expect(server.last.sentOfType('typing').map((t) => t.active)).toEqual([true, false, true, false]);
  });

  it('notifies for DMs and mentions only while the tab is hidden', () => {
    const dm = summary('d1', { kind: 'dm', name: 'Bob' });
    connect([dm, summary('g1', { name: 'General' })]);
    server.last.emit({ type: 'message', ...msg('d1', 1, bob, { body: 'visible tab' }) });
    hidden = true;
    server.last.emit({ type: 'message', ...msg('d1', 2, bob, { body: 'psst' }) });
    server.last.emit({ type: 'message', ...msg('g1', 1, bob, { body: 'no mention' }) });
    server.last.emit({ type: 'message', ...msg('g1', 2, bob, { body: 'hey @alice look' }) });
    server.last.emit({ type: 'message', ...msg('g1', 3, alice, { body: '@alice me myself' }) });
    expect(notifier.calls).toEqual([
      ['Bob', 'psst'],
      ['Bob in General', 'hey @alice look'],
    ]);
  });

  it('notifies by each room’s level: none is silent, mentions only mentions (also @room)', () => {
    connect([
      summary('all', { name: 'All', notify: 'all' }),
      summary('men', { name: 'Men', notify: 'mentions' }),
      summary('off', { name: 'Off', notify: 'none' }),
      summary('dm', { kind: 'dm', name: 'Bob', notify: 'none' }),
    ]);
    hidden = true;
    const send = (room: string, seq: number, body: string, mentions: string[] = []) =>
      server.last.emit({ type: 'message', ...msg(room, seq, bob, { body, mentions }) });
    send('all', 1, 'anything');
    send('men', 1, 'not for you');
    send('men', 2, 'hey @alice', [alice.id]);
    send('men', 3, '@room standup', [alice.id, bob.id]);
    send('off', 1, 'hey @alice', [alice.id]);
    send('dm', 1, 'psst');
    expect(notifier.calls).toEqual([
      ['Bob in All', 'anything'],
      ['Bob in Men', 'hey @alice'],
      ['Bob in Men', '@room standup'],
    ]);
    // another device changes a level: the next message follows it
    server.last.emit({ type: 'room', room: summary('off', { name: 'Off', notify: 'all', lastSeq: 1 }) });
    send('off', 2, 'now you hear me');
    expect(notifier.calls.at(-1)).toEqual(['Bob in Off', 'now you hear me']);
    expect(c.getState().rooms.men).toMatchObject({ unread: 3, mentions: 2 });
  });

  it('sends uploaded files with the message and resends them with the same clientMsgId after a reconnect', async () => {
    const uploads: Array<{ resolve: (f: FileInfo) => void; aborted: boolean }> = [];
    const uploadFile: UploadFile = () => {
      let resolve!: (f: FileInfo) => void;
      const entry = { resolve: (f: FileInfo) => resolve(f), aborted: false };
      uploads.push(entry);
      return {
        promise: new Promise<FileInfo>((r) => (resolve = r)),
        abort: () => {
          entry.aborted = true;
        },
      };
    };
    const socket = new ChatSocket({ url: 'ws://t/ws', createSocket: server.create, random: () => 0 });
    const c2 = new ChatController({ me: alice, socket, uploadFile, now: () => now });
    c2.start();
    server.last.open();
    server.last.emit(readyEvent([summary('r1')]));
    c2.openRoom('r1');
    const file = new File(['x'.repeat(10)], 'a.txt', { type: 'text/plain' });
    c2.attachFiles('r1', [file, new File(['y'], 'b.txt')]);
    expect(c2.getState().attachments.r1?.map((a) => a.status)).toEqual(['uploading', 'uploading']);
    expect(c2.sendMessage('r1', '')).toBe(false); // nothing uploaded yet, no text
    uploads[0]!.resolve({ id: 'f-a', name: 'a.txt', type: 'text/plain', size: 10 });
    await Promise.resolve();
    expect(c2.sendMessage('r1', 'here')).toBe(true);
    const first = server.last.sentOfType('send').at(-1);
    expect(first).toMatchObject({ room: 'r1', body: 'here', files: ['f-a'] });
    // the one still uploading stays in the composer
    expect(c2.getState().attachments.r1?.map((a) => a.name)).toEqual(['b.txt']);

    server.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    server.last.open();
    server.last.emit(readyEvent([summary('r1')]));
    const again = server.last.sentOfType('send').at(-1);
    expect(again).toMatchObject({ clientMsgId: first?.clientMsgId, body: 'here', files: ['f-a'] });

    c2.forgetRoom('r1');
    expect(uploads[1]!.aborted).toBe(true);
    expect(c2.getState().attachments.r1).toBeUndefined();
    c2.stop();
  });

  it('upserts rooms from room events and forgets them on roomLeft', () => {
    connect([summary('r1')]);
    c.openRoom('r1');
    server.last.emit({ type: 'room', room: summary('r2', { name: 'New' }) });
    expect(c.getState().rooms.r2?.name).toBe('New');
    server.last.emit({ type: 'roomLeft', room: 'r1' });
    expect(c.getState().rooms.r1).toBeUndefined();
    expect(c.getState().activeRoomId).toBeNull();
  });

  it('applies messageUpdated to the list and the sidebar preview', () => {
    connect([summary('r1', { lastSeq: 1, lastMessage: msg('r1', 1) })]);
    openWith('r1', [1]);
    server.last.emit({
      type: 'messageUpdated',
      room: 'r1',
      seq: 1,
      messageId: 'r1-m1',
      body: 'changed',
      editedAt: '2026-11-20T12:01:00Z',
      deleted: false,
      reactions: { '🎉': [bob.id] },
    });
    expect(c.getState().conversations.r1?.messages[0]).toMatchObject({
      body: 'changed',
      reactions: { '🎉': [bob.id] },
    });
    expect(c.getState().rooms.r1?.lastMessage?.body).toBe('changed');
  });

  it('reports signed out on close 4001', () => {
    const onSignedOut = vi.fn();
    const socket = new ChatSocket({ url: 'ws://t/ws', createSocket: server.create });
    const c2 = new ChatController({ me: alice, socket, onSignedOut });
    c2.start();
    server.last.open();
    server.last.emit(readyEvent([]));
    server.last.serverClose(4001);
    expect(onSignedOut).toHaveBeenCalledTimes(1);
    c2.stop();
  });

  it('loadUntil pages back until the first unread message is loaded', async () => {
    connect([summary('r1', { lastSeq: 300, lastReadSeq: 120, unread: 180 })]);
    openWith(
      'r1',
      Array.from({ length: 50 }, (_, i) => 251 + i),
      true,
    );
    const done = c.loadUntil('r1', 121);
    for (let round = 0; round < 5; round++) {
      await vi.advanceTimersByTimeAsync(0);
      const req = server.last.sentOfType('history').at(-1);
      if (!req?.before || req.before <= 121) break;
      const from = Math.max(1, req.before - (req.limit ?? 50));
      const seqs = Array.from({ length: req.before - from }, (_, i) => from + i);
      server.last.emit({
        type: 'history',
        id: req.id,
        room: 'r1',
        messages: seqs.map((s) => msg('r1', s)),
        hasMore: from > 1,
      });
    }
    await done;
    const loaded = seqsOf('r1') ?? [];
    expect(loaded[0]).toBeLessThanOrEqual(121);
    expect(loaded.at(-1)).toBe(300);
    expect(new Set(loaded).size).toBe(loaded.length);
    expect(
      server.last
        .sentOfType('history')
        .slice(1)
        .every((h) => h.limit === 100),
    ).toBe(true);
  });

  it('showMessage opens the room, waits for its first page, pages back to the message and focuses it', async () => {
    connect([summary('r1', { lastSeq: 300 }), summary('r2', { lastSeq: 5 })]);
    openWith('r2', [1, 2, 3, 4, 5]);
    const shown = c.showMessage('r1', 'r1-m42', 42);
    expect(c.getState().activeRoomId).toBe('r1');
    expect(c.getState().focus).toMatchObject({ room: 'r1', messageId: 'r1-m42', seq: 42 });
    const first = server.last.sentOfType('history').at(-1);
    expect(first).toMatchObject({ room: 'r1' });
    expect(first?.before).toBeUndefined();
    server.last.emit({
      type: 'history',
      id: first?.id,
      room: 'r1',
      messages: Array.from({ length: 50 }, (_, i) => msg('r1', 251 + i)),
      hasMore: true,
    });
    for (let round = 0; round < 5; round++) {
      await vi.advanceTimersByTimeAsync(0);
      const req = server.last.sentOfType('history').at(-1);
      if (req === first || !req?.before) break;
      const from = Math.max(1, req.before - (req.limit ?? 50));
      const seqs = Array.from({ length: req.before - from }, (_, i) => from + i);
      server.last.emit({
        type: 'history',
        id: req.id,
        room: 'r1',
        messages: seqs.map((s) => msg('r1', s)),
        hasMore: from > 1,
      });
      if (from <= 42) break;
    }
    await expect(shown).resolves.toBe(true);
    expect(seqsOf('r1')).toContain(42);
    expect(seqsOf('r1')?.at(-1)).toBe(300);
    const focus = c.getState().focus;
    expect(focus).toMatchObject({ room: 'r1', messageId: 'r1-m42' });
    // the list showed it: the focus goes; a stale token changes nothing
    c.clearFocus((focus?.token ?? 0) + 1);
    expect(c.getState().focus).not.toBeNull();
    c.clearFocus(focus?.token ?? 0);
    expect(c.getState().focus).toBeNull();
  });

  it('showMessage says so when the message is gone, and opening another room drops the focus', async () => {
    connect([summary('r1', { lastSeq: 3 }), summary('r2', { lastSeq: 1 })]);
    openWith('r1', [1, 2, 3]);
    await expect(c.showMessage('r1', 'r1-m9', 2)).resolves.toBe(false);
    expect(c.getState().focus).toBeNull();
    expect(c.getState().notices.at(-1)).toMatchObject({ text: 'That message is no longer there.', tone: 'error' });

    const pending = c.showMessage('r1', 'r1-m2', 2);
    expect(c.getState().focus).toMatchObject({ messageId: 'r1-m2' });
    c.openRoom('r2');
    expect(c.getState().focus).toBeNull();
    await expect(pending).resolves.toBe(true);

    await expect(c.showMessage('nope', 'x', 1)).resolves.toBe(false);
    expect(c.getState().notices.at(-1)?.text).toBe('That conversation is no longer in your list.');
  });

  it('a read marker moved while offline is sent after the reconnect', () => {
    connect([summary('r1', { lastSeq: 3, lastReadSeq: 1, unread: 2 })]);
    server.last.serverClose(1006);
    c.markRead('r1', 3);
    expect(c.getState().rooms.r1?.unread).toBe(0);
    vi.advanceTimersByTime(100);
    connect([summary('r1', { lastSeq: 3, lastReadSeq: 1, unread: 2 })]);
    expect(server.last.sentOfType('read')).toEqual([{ type: 'read', room: 'r1', seq: 3 }]);
    expect(c.getState().rooms.r1).toMatchObject({ lastReadSeq: 3, unread: 0 });
  });

  it('falls back to HTTP for history while the socket is down', async () => {
    const fetchPage = vi.fn().mockResolvedValue({ messages: [msg('r1', 1), msg('r1', 2)], hasMore: false });
    const socket = new ChatSocket({ url: 'ws://t/ws', createSocket: server.create });
    const c2 = new ChatController({ me: alice, socket, fetchPage });
    c2.start();
    c2.upsertRoom(summary('r1'));
    c2.openRoom('r1');
    await vi.runAllTimersAsync();
    expect(fetchPage).toHaveBeenCalledWith('r1', undefined, 50);
    expect(c2.getState().conversations.r1?.messages.map((m) => m.seq)).toEqual([1, 2]);
    c2.stop();
  });
});
