import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { setFetch } from '../lib/http';
import { setDefaultSocketFactory } from '../lib/socket';
import type { RoomSummary, ServerEvent } from '../lib/protocol';
import { FakeSocketServer, alice, bob, carol, msg, summary } from '../test/fakeSocket';

// Mention badges, the tab title and the per-room notification menu, with the whole app: fetch
// answers from a route table, the WebSocket is the scripted fake.

type Answer = [number, unknown?];

describe('mentions and notification levels', () => {
  let server: FakeSocketServer;
  let puts: Array<{ path: string; body: unknown }>;
  let notifyAnswer: (body: { level: string }) => Answer;

  const general = summary('g1', {
    name: 'general',
    members: [alice, bob, carol],
    lastSeq: 12,
    lastReadSeq: 10,
    unread: 2,
    mentions: 1,
    notify: 'all',
    lastMessage: msg('g1', 12, bob, { body: 'hey @alice', mentions: [alice.id] }),
  });
  const dm = summary('d1', { kind: 'dm', name: 'Bob', visibility: 'private', lastSeq: 1, notify: 'all' });

  beforeEach(() => {
    server = new FakeSocketServer();
    setDefaultSocketFactory(server.create);
    puts = [];
    notifyAnswer = (body) => [200, { ...general, notify: body.level }];
    setFetch(
      vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
        const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
        let answer: Answer = [404, { error: { code: 'not_found', message: 'no route' } }];
        if (path === '/api/me') answer = [200, alice];
        if (init?.method === 'PUT' && path === '/api/rooms/g1/notify') {
          puts.push({ path, body });
          answer = notifyAnswer(body as { level: string });
        }
        return Promise.resolve(new Response(JSON.stringify(answer[1]), { status: answer[0] }));
      }),
    );
  });
  afterEach(() => {
    setFetch(null);
    setDefaultSocketFactory(null);
  });

  const emit = (e: ServerEvent | Record<string, unknown>) => act(() => server.last.emit(e));

  async function start(rooms: RoomSummary[]) {
    render(<App />);
    await screen.findByTestId('connection-state');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0));
    act(() => server.last.open());
    emit({ type: 'ready', user: alice, rooms });
  }

  const item = (id: string) =>
    screen.getAllByTestId('room-item').find((el) => el.getAttribute('data-room-id') === id) as HTMLElement;

  it('shows a mention badge apart from the unread count, and counts new mentions', async () => {
    await start([general, dm]);
    const g = item('g1');
    expect(within(g).getByTestId('mention-badge')).toHaveTextContent('@1');
    expect(within(g).getByTestId('unread-badge')).toHaveTextContent('2');
    expect(g).toHaveAccessibleName('Room general, 2 unread, 1 mention');
    expect(within(item('d1')).queryByTestId('mention-badge')).toBeNull();
    emit({
      type: 'message',
      ...msg('g1', 13, carol, { body: '@room standup', mentions: [alice.id, bob.id, carol.id] }),
    });
    expect(within(item('g1')).getByTestId('mention-badge')).toHaveTextContent('@2');
    expect(within(item('g1')).getByTestId('unread-badge')).toHaveTextContent('3');
    await waitFor(() => expect(document.title).toBe('(3) Natter'));
  });

  it('the header menu sets the level with PUT notify, from the keyboard, and follows other devices', async () => {
    const user = userEvent.setup();
    await start([general, dm]);
    await user.click(item('g1'));
    const button = screen.getByRole('button', { name: 'Notifications' });
    expect(button).toHaveAccessibleDescription('All messages');
    expect(button).toHaveAttribute('aria-haspopup', 'menu');

    await user.click(button);
    const menu = screen.getByRole('menu', { name: 'Notifications' });
    const options = within(menu).getAllByRole('menuitemradio');
    expect(options.map((o) => o.getAttribute('aria-label'))).toEqual(['All messages', 'Mentions only', 'Nothing']);
    expect(within(menu).getByRole('menuitemradio', { name: 'All messages' })).toHaveAttribute('aria-checked', 'true');
    expect(within(menu).getByRole('menuitemradio', { name: 'All messages' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitemradio', { name: 'Mentions only' })).toHaveFocus();
    await user.keyboard('{Enter}');

    expect(screen.queryByRole('menu')).toBeNull();
    await waitFor(() => expect(puts).toEqual([{ path: '/api/rooms/g1/notify', body: { level: 'mentions' } }]));
    await waitFor(() => expect(button).toHaveAttribute('data-level', 'mentions'));
    expect(button).toHaveFocus();
    expect(item('g1')).toHaveAttribute('data-notify', 'mentions');
    expect(within(item('g1')).getByTestId('unread-badge')).toHaveAttribute('data-muted', 'true');
    await waitFor(() => expect(document.title).toBe('(1) Natter')); // only the mention counts now

    // Escape closes without a change
    await user.click(button);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(button).toHaveFocus();
    expect(puts).toHaveLength(1);

    // another device mutes the room: a `room` event with the new summary
    emit({ type: 'room', room: { ...general, notify: 'none' } });
    expect(button).toHaveAttribute('data-level', 'none');
    expect(item('g1')).toHaveAttribute('data-notify', 'none');
    expect(within(item('g1')).getByTestId('muted-icon')).toBeInTheDocument();
    expect(item('g1')).toHaveAccessibleName('Room general, 2 unread, 1 mention, muted');
    await waitFor(() => expect(document.title).toBe('Natter'));
  });

  it('says so when the level could not be saved', async () => {
    notifyAnswer = () => [403, { error: { code: 'forbidden', message: 'not a member' } }];
    const user = userEvent.setup();
    await start([general]);
    await user.click(item('g1'));
    await user.click(screen.getByRole('button', { name: 'Notifications' }));
    await user.click(screen.getByRole('menuitemradio', { name: 'Nothing' }));
    expect(await screen.findByText(/Could not change notifications/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Notifications' })).toHaveAttribute('data-level', 'all');
  });
});
