// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from './backoff';
import { ChatSocket, type ConnectionState } from './socket';
import { FakeSocketServer, alice } from '../test/fakeSocket';

const ready = {
  type: 'ready',
  user: alice,
  heartbeat: { intervalMs: 25000, timeoutMs: 60000 },
  rooms: [],
  presence: [],
};

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and is jittered within [d/2, d]', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelay(0, () => 0, opts)).toBe(250);
    expect(backoffDelay(0, () => 1, opts)).toBe(500);
    expect(backoffDelay(3, () => 1, opts)).toBe(4000);
    expect(backoffDelay(3, () => 0, opts)).toBe(2000);
    expect(backoffDelay(20, () => 1, opts)).toBe(30_000);
    expect(backoffDelay(1000, () => 0.5, opts)).toBe(22_500);
    for (let i = 0; i < 50; i++) expect(backoffDelay(i % 8)).toBeGreaterThan(0);
  });
});

describe('ChatSocket', () => {
  let server: FakeSocketServer;
  let states: ConnectionState[];
  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeSocketServer();
    states = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function make(checkAuth?: () => Promise<boolean>) {
    const s = new ChatSocket({
      url: 'ws://test/ws',
      createSocket: server.create,
      random: () => 1,
      backoff: { baseMs: 100, maxMs: 1000 },
      checkAuth,
    });
    s.onState((st) => states.push(st));
    return s;
  }

  it('is connecting, then online only after ready, and sends only when online', () => {
    const s = make();
    s.connect();
    expect(states).toEqual(['connecting']);
    server.last.open();
    expect(s.send({ type: 'read', room: 'r', seq: 1 })).toBe(false);
    server.last.emit(ready);
    expect(states).toEqual(['connecting', 'online']);
    expect(s.send({ type: 'read', room: 'r', seq: 1 })).toBe(true);
    expect(server.last.sent).toEqual([{ type: 'read', room: 'r', seq: 1 }]);
  });

  it('reconnects with growing delays after abnormal closes and resets after ready', () => {
    const s = make();
    s.connect();
    server.last.open();
    server.last.emit(ready);
    server.last.serverClose(1006);
    expect(s.connectionState).toBe('reconnecting');
    expect(server.sockets).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(server.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(server.sockets).toHaveLength(2); // 100 ms
    server.last.serverClose(1006);
    vi.advanceTimersByTime(199);
    expect(server.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(server.sockets).toHaveLength(3); // 200 ms
    server.last.serverClose(4008); // slow consumer: reconnect too
    vi.advanceTimersByTime(400);
    expect(server.sockets).toHaveLength(4);
    server.last.open();
    server.last.emit(ready);
    expect(s.connectionState).toBe('online');
    expect(s.failedAttempts).toBe(0);
    server.last.serverClose(1001);
    vi.advanceTimersByTime(100);
    expect(server.sockets).toHaveLength(5);
  });

  it('stops on 4001 (session revoked) and reports signed out', () => {
    const s = make();
    s.connect();
    server.last.open();
    server.last.emit(ready);
    server.last.serverClose(4001);
    expect(s.connectionState).toBe('signedOut');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
  });

  it('does not reconnect by itself after a normal close (1000)', () => {
    const s = make();
    s.connect();
    server.last.open();
    server.last.emit(ready);
    server.last.serverClose(1000);
    expect(s.connectionState).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
    s.reconnectNow();
    expect(server.sockets).toHaveLength(2);
  });

  it('asks whether we are still signed in when the handshake is refused', async () => {
    const checkAuth = vi.fn().mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    const s = make(checkAuth);
    s.connect();
    server.last.serverClose(1006); // refused before open (HTTP 401 is invisible to the page)
    await vi.advanceTimersByTimeAsync(100);
    expect(checkAuth).toHaveBeenCalledTimes(1);
    expect(server.sockets).toHaveLength(2);
    server.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(200);
    expect(checkAuth).toHaveBeenCalledTimes(2);
    expect(s.connectionState).toBe('signedOut');
    expect(server.sockets).toHaveLength(2);
  });

  it('ignores frames that are not known JSON events', () => {
    const s = make();
    const seen: string[] = [];
    s.onEvent((e) => seen.push(e.type));
    s.connect();
    server.last.open();
    server.last.emitRaw('not json');
    server.last.emitRaw('[1,2]');
    server.last.emit({ type: 'bogus' });
    server.last.emit(ready);
    expect(seen).toEqual(['ready']);
  });

  it('close() ends it for good', () => {
    const s = make();
    s.connect();
    server.last.open();
    s.close();
    expect(server.last.closedWith).toBe(1000);
    expect(s.connectionState).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
  });
});
