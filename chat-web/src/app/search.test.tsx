import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { setFetch } from '../lib/http';
import { setDefaultSocketFactory } from '../lib/socket';
import type { SearchHit, ServerEvent } from '../lib/protocol';
import { FakeSocketServer, alice, bob, carol, msg, summary } from '../test/fakeSocket';

// The whole app with only its edges replaced, as in App.test.tsx: fetch (HTTP) answers from a
// route table, the WebSocket is the scripted fake. GET /api/search is what these tests drive.

type Answer = [number, unknown?];
type Route = (method: string, path: string) => Answer | Promise<Answer> | undefined;

function fakeFetch(route: Route) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const [status, answer] = (await route(init?.method ?? 'GET', path)) ?? [
      404,
      { error: { code: 'not_found', message: 'no route' } },
    ];
    return new Response(answer === undefined ? null : JSON.stringify(answer), { status });
  });
}

const ts = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const general = summary('g1', { name: 'general', members: [alice, bob, carol], lastSeq: 100, lastReadSeq: 100 });
const dm = summary('d1', { kind: 'dm', name: 'Bob', visibility: 'private', members: [alice, bob], lastSeq: 2 });

function hit(room: string, seq: number, sender: typeof bob, body: string, snippet: string, minutesAgo: number) {
  return { ...msg(room, seq, sender, { body, ts: ts(minutesAgo) }), snippet } satisfies SearchHit;
}

/** A pending answer the test resolves when it likes. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('message search', () => {
  let server: FakeSocketServer;
  let searches: string[];
  let searchRoute: (params: URLSearchParams) => Answer | Promise<Answer>;

  beforeEach(() => {
    server = new FakeSocketServer();
    setDefaultSocketFactory(server.create);
    searches = [];
    searchRoute = () => [200, []];
    setFetch(
      fakeFetch((_m, p) => {
        if (p === '/api/me') return [200, alice];
        if (p.startsWith('/api/search?')) {
          searches.push(p);
          return searchRoute(new URL(p, 'http://x').searchParams);
        }
        return undefined;
      }),
    );
  });
  afterEach(() => {
    setFetch(null);
    setDefaultSocketFactory(null);
    vi.restoreAllMocks();
  });

  const emit = (e: ServerEvent | Record<string, unknown>) => act(() => server.last.emit(e));

  async function signedIn() {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId('connection-state');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0)); // the socket opens after a tick
    act(() => server.last.open());
    emit({ type: 'ready', user: alice, rooms: [general, dm], presence: [] });
    return user;
  }

  it('lists hits newest first with room, sender, time and the match highlighted', async () => {
    const answer = deferred<Answer>();
    searchRoute = () => answer.promise;
    const user = await signedIn();
    await user.type(screen.getByTestId('search-input'), 'deploy{Enter}');

    expect(searches).toEqual(['/api/search?q=deploy']);
    const panel = screen.getByTestId('search-panel');
    expect(within(panel).getByTestId('search-loading')).toHaveTextContent('Searching…');
    expect(within(panel).getByTestId('search-summary')).toHaveTextContent('“deploy” in all your rooms');

    // The server's order is "best first"; the panel shows the newest first.
    await act(async () => {
      answer.resolve([
        200,
        [
          hit('g1', 3, carol, 'old deploy notes', 'old [deploy] notes', 120),
          hit('d1', 2, bob, 'Deploy done?', '[Deploy] done?', 5),
          hit('g1', 40, bob, 'the deploy <b>failed</b>', 'the [deploy] <b>failed</b>', 30),
        ],
      ]);
      await answer.promise;
    });
    const hits = await within(panel).findAllByTestId('search-hit');
    expect(hits.map((h) => h.getAttribute('data-message-id'))).toEqual(['d1-m2', 'g1-m40', 'g1-m3']);
    expect(hits.map((h) => within(h).getByTestId('search-hit-room').textContent)).toEqual([
      'Bob',
      '#general',
      '#general',
    ]);
    expect(hits.map((h) => within(h).getByTestId('search-hit-sender').textContent)).toEqual(['Bob', 'Bob', 'Carol']);
    expect(within(hits[0]!).getByTestId('search-hit-time')).toHaveAttribute('datetime', expect.any(String) as string);
    expect(within(hits[0]!).getByTestId('search-hit-time').textContent).toMatch(/\d/);
    const snippet = within(hits[1]!).getByTestId('search-hit-snippet');
    expect(snippet).toHaveTextContent('the deploy <b>failed</b>');
    expect(snippet.querySelector('b')).toBeNull();
    expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['deploy']);
    expect(within(panel).getByTestId('search-summary')).toHaveTextContent('3 results for “deploy” in all your rooms');
    expect(screen.queryByTestId('search-loading')).toBeNull();
  });

  it('says "No messages match" when nothing does', async () => {
    const user = await signedIn();
    await user.type(screen.getByTestId('search-input'), 'zebra{Enter}');
    expect(await screen.findByTestId('search-empty')).toHaveTextContent('No messages match “zebra”.');
    expect(screen.queryByTestId('search-hit')).toBeNull();
  });

  it('shows an HTTP error clearly, keeps the input, and tries again', async () => {
    searchRoute = () => [500, { error: { code: 'internal', message: 'boom' } }];
    const user = await signedIn();
    const input = screen.getByTestId('search-input');
    await user.type(input, 'release notes{Enter}');
    const error = await screen.findByTestId('search-error');
    expect(error).toHaveAttribute('role', 'alert');
    expect(error).toHaveTextContent('Search failed: the server had a problem. Try again. (HTTP 500)');
    expect(input).toHaveValue('release notes');

    searchRoute = () => [200, [hit('g1', 7, bob, 'release notes are out', '[release] notes are out', 1)]];
    await user.click(screen.getByTestId('search-retry'));
    expect(await screen.findAllByTestId('search-hit')).toHaveLength(1);
    expect(screen.queryByTestId('search-error')).toBeNull();
    expect(searches).toHaveLength(2);
    expect(searches[1]).toBe('/api/search?q=release+notes');
  });

  it("shows the server's 400 message and the network failure", async () => {
    searchRoute = () => [400, { error: { code: 'bad_request', message: 'q is required' } }];
    const user = await signedIn();
    const input = screen.getByTestId('search-input');
    await user.type(input, 'x{Enter}');
    expect(await screen.findByTestId('search-error')).toHaveTextContent(
      'Search failed: the server did not accept the search text: q is required (HTTP 400)',
    );
    searchRoute = () => Promise.reject(new TypeError('Failed to fetch'));
    await user.type(input, 'y{Enter}');
    expect(await screen.findByTestId('search-error')).toHaveTextContent(
      'Search failed: lost connection to the server. Try again.',
    );
    expect(input).toHaveValue('xy');
  });

  it('does not send an empty or too long query; says why for the long one', async () => {
    const user = await signedIn();
    const input = screen.getByTestId('search-input');
    await user.type(input, '   {Enter}');
    expect(screen.queryByTestId('search-panel')).toBeNull();
    await user.clear(input);
    await user.click(input);
    await user.paste('a'.repeat(201));
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('search-error')).toHaveTextContent(
      'The search text is too long: at most 200 characters (this one has 201).',
    );
    expect(screen.queryByTestId('search-retry')).toBeNull();
    expect(searches).toEqual([]);
  });

  it('drops a late answer to an older query', async () => {
    const first = deferred<Answer>();
    const answers = [first.promise, Promise.resolve<Answer>([200, []])];
    searchRoute = () => answers.shift()!;
    const user = await signedIn();
    const input = screen.getByTestId('search-input');
    await user.type(input, 'old{Enter}');
    await user.clear(input);
    await user.type(input, 'new{Enter}');
    expect(await screen.findByTestId('search-empty')).toHaveTextContent('“new”');
    await act(async () => {
      first.resolve([200, [hit('g1', 1, bob, 'old', '[old]', 1)]]);
      await first.promise;
    });
    expect(screen.queryByTestId('search-hit')).toBeNull();
    expect(screen.getByTestId('search-empty')).toBeInTheDocument();
  });

  it('searches only the open room with "This room", and again when the scope changes', async () => {
    const user = await signedIn();
    const scope = screen.getByTestId('search-scope');
    expect(within(scope).getByRole('option', { name: 'This room' })).toBeDisabled();
    await user.click(screen.getAllByTestId('room-item').find((r) => r.dataset.roomId === 'g1')!);
    expect(within(scope).getByRole('option', { name: 'This room (#general)' })).toBeEnabled();
    await user.selectOptions(scope, 'room');
    await user.type(screen.getByTestId('search-input'), 'plan{Enter}');
    await screen.findByTestId('search-empty');
    expect(searches).toEqual(['/api/search?q=plan&room=g1']);
    expect(screen.getByTestId('search-summary')).toHaveTextContent('0 results for “plan” in #general');
    await user.selectOptions(scope, 'all');
    await waitFor(() => expect(searches).toEqual(['/api/search?q=plan&room=g1', '/api/search?q=plan']));
  });

  it('Ctrl+K and "/" focus the search box; Escape closes the results and keeps the text', async () => {
    const user = await signedIn();
    const input = screen.getByTestId('search-input');
    await user.keyboard('{Control>}k{/Control}');
    expect(input).toHaveFocus();
    input.blur();
    await user.keyboard('/');
    expect(input).toHaveFocus();
    expect(input).toHaveValue('');
    await user.type(input, 'hello{Enter}');
    await screen.findByTestId('search-empty');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('search-panel')).toBeNull();
    expect(input).toHaveValue('hello');
    // "/" typed into the composer is text, not a shortcut
    await user.click(screen.getAllByTestId('room-item')[0]!);
    await user.type(screen.getByTestId('composer'), 'a/b');
    expect(screen.getByTestId('composer')).toHaveValue('a/b');
  });

  it('a click opens the room, pages back to the message, and highlights it', async () => {
    const scrolled: string[] = [];
    vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push((this as HTMLElement).dataset.messageId ?? this.tagName);
    });
    searchRoute = () => [200, [hit('g1', 3, carol, 'the rollback plan', 'the rollback [plan]', 197)]];
    const user = await signedIn();
    await user.type(screen.getByTestId('search-input'), 'plan{Enter}');
    await user.click(await screen.findByTestId('search-hit'));

    // The room opens and asks for its newest page...
    expect(screen.getByTestId('conversation')).toHaveAttribute('data-room-id', 'g1');
    const newest = server.last.sentOfType('history').at(-1)!;
    expect(newest).toMatchObject({ room: 'g1' });
    expect(newest.before).toBeUndefined();
    const page = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => msg('g1', from + i, bob, { ts: ts(200 - from - i) }));
    emit({ type: 'history', id: newest.id, room: 'g1', hasMore: true, messages: page(51, 100) });
    // ...then pages back until seq 3 is loaded.
    await waitFor(() => expect(server.last.sentOfType('history')).toHaveLength(2));
    const older = server.last.sentOfType('history').at(-1)!;
    expect(older).toMatchObject({ room: 'g1', before: 51, limit: 100 });
    emit({
      type: 'history',
      id: older.id,
      room: 'g1',
      hasMore: false,
      messages: [...page(1, 2), msg('g1', 3, carol, { body: 'the rollback plan', ts: ts(197) }), ...page(4, 50)],
    });

    const target = await waitFor(() => {
      const row = screen
        .getAllByTestId('message')
        .find((m) => m.getAttribute('data-message-id') === 'g1-m3' && m.getAttribute('data-highlighted') === 'true');
      expect(row).toBeDefined();
      return row!;
    });
    expect(target).toHaveClass('highlighted');
    expect(target).toHaveTextContent('the rollback plan');
    expect(scrolled).toContain('g1-m3');
    // The results stay open on a wide screen, so another hit is one click away.
    expect(screen.getByTestId('search-panel')).toBeInTheDocument();
  });

  it('a hit in an already loaded room scrolls to it without loading anything', async () => {
    searchRoute = () => [200, [hit('d1', 1, bob, 'lunch?', '[lunch]?', 10)]];
    const user = await signedIn();
    await user.click(screen.getAllByTestId('room-item').find((r) => r.dataset.roomId === 'd1')!);
    const req = server.last.sentOfType('history').at(-1)!;
    emit({ type: 'history', id: req.id, room: 'd1', hasMore: false, messages: [msg('d1', 1), msg('d1', 2)] });
    const sent = server.last.sentOfType('history').length;
    await user.type(screen.getByTestId('search-input'), 'lunch{Enter}');
    await user.click(await screen.findByTestId('search-hit'));
    await waitFor(() =>
      expect(screen.getAllByTestId('message').find((m) => m.dataset.messageId === 'd1-m1')).toHaveAttribute(
        'data-highlighted',
        'true',
      ),
    );
    expect(server.last.sentOfType('history')).toHaveLength(sent);
  });
});
