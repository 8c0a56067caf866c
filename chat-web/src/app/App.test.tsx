import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { setFetch } from '../lib/http';
import { setDefaultSocketFactory } from '../lib/socket';
import { FakeSocketServer, alice, bob, carol, msg, summary } from '../test/fakeSocket';
import type { ServerEvent } from '../lib/protocol';

type Route = (method: string, path: string, body: unknown) => [number, unknown?] | undefined;

function fakeFetch(route: Route) {
  return vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const [status, answer] = route(method, path, body) ?? [404, { error: { code: 'not_found', message: 'no route' } }];
    return Promise.resolve(new Response(answer === undefined ? null : JSON.stringify(answer), { status }));
  });
}

const t = (min: number) => new Date(Date.now() - (60 - min) * 60_000).toISOString();

describe('App', () => {
  let server: FakeSocketServer;
  beforeEach(() => {
    server = new FakeSocketServer();
    setDefaultSocketFactory(server.create);
  });
  afterEach(() => {
    setFetch(null);
    setDefaultSocketFactory(null);
  });

  const emit = (e: ServerEvent | Record<string, unknown>) => act(() => server.last.emit(e));

  it('shows the sign-in form when /api/me says 401', async () => {
    setFetch(
      fakeFetch((_m, p) => (p === '/api/me' ? [401, { error: { code: 'unauthorized', message: 'no' } }] : undefined)),
    );
    render(<App />);
    expect(await screen.findByTestId('auth-form')).toBeInTheDocument();
    expect(server.sockets).toHaveLength(0);
  });

  it('resumes the session on reload, renders the sidebar, chats, and signs out', async () => {
    const calls: string[] = [];
    setFetch(
      fakeFetch((m, p) => {
        calls.push(`${m} ${p}`);
        if (p === '/api/me') return [200, alice];
        if (p === '/api/logout') return [204];
        return undefined;
      }),
    );
    const user = userEvent.setup();
    render(<App />);
    const state = await screen.findByTestId('connection-state');
    expect(state).toHaveAttribute('data-state', 'connecting');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0)); // the socket opens after a tick
    act(() => server.last.open());
    const dm = summary('d1', {
      kind: 'dm',
      name: 'Bob',
      visibility: 'private',
      members: [alice, bob],
      lastSeq: 7,
      lastReadSeq: 5,
      unread: 2,
      lastMessage: msg('d1', 7, bob, { body: 'are you there?', ts: t(50) }),
    });
    const general = summary('g1', {
      name: 'general',
      members: [alice, bob, carol],
      lastSeq: 3,
      lastReadSeq: 3,
      lastMessage: msg('g1', 3, carol, { ts: t(10) }),
    });
    emit({
      type: 'ready',
      user: alice,
      heartbeat: { intervalMs: 25000, timeoutMs: 60000 },
      rooms: [general, dm],
      presence: [{ user: bob, status: 'online', lastSeen: null }],
    });

    expect(state).toHaveAttribute('data-state', 'online');
    const items = screen.getAllByTestId('room-item');
    expect(items.map((i) => i.getAttribute('data-room-id'))).toEqual(['d1', 'g1']); // latest activity first
    expect(within(items[0]!).getByTestId('unread-badge')).toHaveTextContent('2');
    expect(within(items[0]!).getByTestId('presence-dot')).toHaveAttribute('data-status', 'online');
    expect(within(items[0]!).getByTestId('room-preview')).toHaveTextContent('are you there?');
    expect(within(items[1]!).queryByTestId('unread-badge')).toBeNull();
    await waitFor(() => expect(document.title).toBe('(2) Natter'));

    // open the group and get its newest page, one message hostile
    await user.click(items[1]!);
    const history = server.last.sentOfType('history').at(-1);
    expect(history).toMatchObject({ room: 'g1' });
    emit({
      type: 'history',
      id: history?.id,
      room: 'g1',
      hasMore: false,
      messages: [
        msg('g1', 1, bob, { body: '<img src=x onerror=alert(1)>', ts: t(1) }),
        msg('g1', 2, bob, { body: 'javascript:alert(1)', ts: t(2) }),
        msg('g1', 3, carol, { body: 'hi @alice see https://example.com', ts: t(10) }),
      ],
    });
    const list = screen.getByTestId('message-list');
    const messages = within(list).getAllByTestId('message');
    expect(messages).toHaveLength(3);
    expect(list.querySelector('img')).toBeNull();
    expect(messages[0]).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(within(messages[1]!).queryByRole('link')).toBeNull();
    expect(within(messages[2]!).getByRole('link')).toHaveAttribute('href', 'https://example.com/');
    // grouped: bob's two messages share one header
    expect(
      within(list)
        .getAllByTestId('message-sender')
        .map((s) => s.textContent),
    ).toEqual(['Bob', 'Carol']);

    // typing indicator
    emit({ type: 'typing', room: 'g1', user: bob, active: true });
    expect(screen.getByTestId('typing-indicator')).toHaveTextContent('Bob is typing…');
    emit({ type: 'typing', room: 'g1', user: carol, active: true });
    expect(screen.getByTestId('typing-indicator')).toHaveTextContent('Bob and Carol are typing…');

    // reply to carol, optimistic send, ack
    await user.hover(messages[2]!);
    await user.click(within(messages[2]!).getByRole('button', { name: 'Reply' }));
    expect(screen.getByTestId('composer-reply')).toHaveTextContent('Replying to Carol');
    await user.type(screen.getByTestId('composer'), 'on my way{Enter}');
    const send = server.last.sentOfType('send').at(-1);
    expect(send).toMatchObject({ room: 'g1', body: 'on my way', replyTo: 'g1-m3' });
    expect(server.last.sentOfType('typing').at(-1)).toEqual({ type: 'typing', room: 'g1', active: false });
    let mine = within(list).getAllByTestId('message').at(-1)!;
    expect(mine).toHaveAttribute('data-status', 'pending');
    expect(within(mine).getByTestId('reply-quote')).toHaveTextContent('Carol');
    emit({
      type: 'ack',
      id: send?.id,
      clientMsgId: send?.clientMsgId ?? '',
      room: 'g1',
      seq: 4,
      messageId: 'g1-m4',
      ts: t(59),
    });
    mine = within(list).getAllByTestId('message').at(-1)!;
    expect(mine).toHaveAttribute('data-status', 'sent');
    expect(mine).toHaveAttribute('data-seq', '4');

    // edit and react on my own message
    await user.click(within(mine).getByRole('button', { name: 'Edit message' }));
    const edit = screen.getByTestId('edit-input');
    await user.clear(edit);
    await user.type(edit, 'almost there{Enter}');
    expect(server.last.sentOfType('edit').at(-1)).toMatchObject({
      room: 'g1',
      messageId: 'g1-m4',
      body: 'almost there',
    });
    await user.click(within(mine).getByRole('button', { name: 'Add reaction' }));
    await user.click(within(mine).getByRole('button', { name: 'React with 🎉' }));
    expect(server.last.sentOfType('react').at(-1)).toMatchObject({ messageId: 'g1-m4', emoji: '🎉', on: true });
    emit({
      type: 'messageUpdated',
      room: 'g1',
      seq: 4,
      messageId: 'g1-m4',
      body: 'almost there',
      editedAt: t(59),
      deleted: false,
      reactions: { '🎉': [alice.id, bob.id] },
    });
    mine = within(list).getAllByTestId('message').at(-1)!;
    expect(mine).toHaveTextContent('almost there');
    expect(mine).toHaveTextContent('(edited)');
    expect(within(mine).getByTestId('reaction')).toHaveAttribute('aria-pressed', 'true');

    // read markers advance while visible; the DM's unread count drops on another device's read
    // (my own acked message 4 already moved the marker: reads only move forward)
    expect(server.last.sentOfType('read').map((r) => r.seq)).toEqual([4]);
    emit({ type: 'message', ...msg('g1', 5, bob, { body: 'new one', ts: t(59) }) });
    await waitFor(() => expect(server.last.sentOfType('read').at(-1)).toEqual({ type: 'read', room: 'g1', seq: 5 }));
    emit({ type: 'read', room: 'd1', user: alice, seq: 7 });
    expect(within(screen.getAllByTestId('room-item')[0]!).queryByTestId('unread-badge')).toBeNull();
    await waitFor(() => expect(document.title).toBe('Natter'));

    // the connection drops
    act(() => server.last.serverClose(1006));
    expect(screen.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting');

    await user.click(screen.getByTestId('sign-out'));
    expect(await screen.findByTestId('auth-form')).toBeInTheDocument();
    expect(calls).toContain('POST /api/logout');
  });

  it('treats close 4001 as signed out', async () => {
    setFetch(fakeFetch((_m, p) => (p === '/api/me' ? [200, alice] : undefined)));
    render(<App />);
    await screen.findByTestId('connection-state');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0)); // the socket opens after a tick
    act(() => server.last.open());
    emit({ type: 'ready', user: alice, rooms: [], presence: [] });
    act(() => server.last.serverClose(4001));
    expect(await screen.findByTestId('auth-form')).toHaveTextContent('Your session ended');
  });

  it('tells the user when the server cannot be reached on load', async () => {
    setFetch(vi.fn().mockRejectedValue(new TypeError('offline')));
    render(<App />);
    expect(await screen.findByTestId('app-unreachable')).toHaveTextContent('Lost connection to the server');
  });
});
