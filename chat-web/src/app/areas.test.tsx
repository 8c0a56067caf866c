import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import { App } from './App';
import { setFetch } from '../lib/http';
import { setDefaultSocketFactory } from '../lib/socket';
import type { ServerEvent } from '../lib/protocol';
import { FakeSocketServer, alice, bob, summary } from '../test/fakeSocket';

// The whole app as in App.test.tsx, with one area made to throw while it renders: that area shows
// its fallback, every other area keeps working.

const crash = vi.hoisted(() => ({ roomList: false, messageList: false }));

vi.mock('../features/rooms/Sidebar', async (importOriginal) => {
  const real = await importOriginal<typeof import('../features/rooms/Sidebar')>();
  return {
    ...real,
    RoomList: (props: ComponentProps<typeof real.RoomList>) => {
      if (crash.roomList) throw new Error('room list broke');
      return <real.RoomList {...props} />;
    },
  };
});

vi.mock('../features/messages/MessageList', async (importOriginal) => {
  const real = await importOriginal<typeof import('../features/messages/MessageList')>();
  return {
    ...real,
    MessageList: (props: ComponentProps<typeof real.MessageList>) => {
      if (crash.messageList) throw new Error('message list broke');
      return <real.MessageList {...props} />;
    },
  };
});

const general = summary('g1', { name: 'general', lastSeq: 0 });
const dm = summary('d1', { kind: 'dm', name: 'Bob', visibility: 'private', members: [alice, bob] });

describe('error boundaries per area', () => {
  let server: FakeSocketServer;
  const emit = (e: ServerEvent) => act(() => server.last.emit(e));
  const roomItem = (id: string) =>
    screen.getAllByTestId('room-item').find((i) => i.getAttribute('data-room-id') === id) as HTMLElement;

  beforeEach(async () => {
    crash.roomList = false;
    crash.messageList = false;
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught errors
    server = new FakeSocketServer();
    setDefaultSocketFactory(server.create);
    setFetch(
      vi.fn((input: RequestInfo | URL) => {
        const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const [status, answer] = path === '/api/me' ? [200, alice] : [404, { error: { code: 'not_found' } }];
        return Promise.resolve(new Response(JSON.stringify(answer), { status }));
      }),
    );
    render(<App />);
    await screen.findByTestId('connection-state');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0)); // the socket opens after a tick
    act(() => server.last.open());
  });
  afterEach(() => {
    setFetch(null);
    setDefaultSocketFactory(null);
    vi.restoreAllMocks();
  });

  it('a broken conversation list leaves search, the actions and the conversation working', async () => {
    crash.roomList = true;
    emit({ type: 'ready', user: alice, rooms: [general, dm], presence: [] });

    const nav = screen.getByRole('navigation', { name: 'Your conversations' });
    expect(within(nav).getByRole('alert')).toHaveTextContent('Something went wrong in the conversation list.');
    expect(screen.queryAllByTestId('room-item')).toHaveLength(0);
    expect(screen.getByTestId('search-input')).toBeInTheDocument();
    expect(screen.getByTestId('new-dm')).toBeInTheDocument();
    expect(screen.getByTestId('connection-state')).toHaveAttribute('data-state', 'online');
    expect(screen.getByRole('heading', { name: 'Welcome, Alice' })).toBeInTheDocument();

    crash.roomList = false;
    await userEvent.setup().click(within(nav).getByRole('button', { name: 'Retry' }));
    expect(within(nav).queryByRole('alert')).toBeNull();
    expect(screen.getAllByTestId('room-item').map((i) => i.getAttribute('data-room-id'))).toEqual(['d1', 'g1']); // by name: Bob, general
  });

  it('a broken conversation keeps the sidebar; opening another room tries again', async () => {
    const user = userEvent.setup();
    emit({ type: 'ready', user: alice, rooms: [general, dm], presence: [] });
    crash.messageList = true;
    await user.click(roomItem('g1'));

    const main = screen.getByRole('main');
    expect(within(main).getByRole('alert')).toHaveTextContent('Something went wrong in the conversation.');
    expect(within(main).getByTestId('sidebar-toggle')).toBeInTheDocument(); // phones can still reach the list
    expect(screen.queryByTestId('conversation')).toBeNull();
    expect(screen.getAllByTestId('room-item')).toHaveLength(2);
    expect(screen.getByTestId('search-input')).toBeInTheDocument();

    crash.messageList = false;
    await user.click(roomItem('d1'));
    expect(within(main).queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('conversation')).toHaveAttribute('data-room-id', 'd1');
  });
});
