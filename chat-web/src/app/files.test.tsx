import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import { setFetch, setXhrFactory } from '../lib/http';
import { setDefaultSocketFactory } from '../lib/socket';
import type { FileInfo, ServerEvent } from '../lib/protocol';
import { FakeSocketServer, alice, bob, msg, summary } from '../test/fakeSocket';
import { FakeXhrServer, fakeFile } from '../test/fakeXhr';

// Attachments in the composer with the whole app: uploads go to a scripted XMLHttpRequest, the
// message goes to the fake WebSocket.

const fileInfo = (x: File, id: string): FileInfo => ({ id, name: x.name, type: x.type, size: x.size });

describe('files in the composer', () => {
  let server: FakeSocketServer;
  let xhrs: FakeXhrServer;

  beforeEach(() => {
    server = new FakeSocketServer();
    xhrs = new FakeXhrServer();
    setDefaultSocketFactory(server.create);
    setXhrFactory(xhrs.create);
    setFetch(
      vi.fn((input: RequestInfo | URL) => {
        const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        return Promise.resolve(
          path === '/api/me'
            ? new Response(JSON.stringify(alice), { status: 200 })
            : new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 }),
        );
      }),
    );
  });
  afterEach(() => {
    setFetch(null);
    setXhrFactory(null);
    setDefaultSocketFactory(null);
  });

  const emit = (e: ServerEvent | Record<string, unknown>) => act(() => server.last.emit(e));
  /** Answers an upload and lets its promise settle. */
  const settle = (answer: () => void) =>
    act(async () => {
      answer();
      await Promise.resolve();
    });

  async function openGeneral() {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId('connection-state');
    await waitFor(() => expect(server.sockets).not.toHaveLength(0));
    act(() => server.last.open());
    emit({ type: 'ready', user: alice, rooms: [summary('g1', { name: 'general', members: [alice, bob] })] });
    await user.click(screen.getByTestId('room-item'));
    const history = server.last.sentOfType('history').at(-1);
    emit({ type: 'history', id: history?.id, room: 'g1', messages: [msg('g1', 1, bob)], hasMore: false });
    return user;
  }

  const attachments = () => within(screen.getByRole('list', { name: 'Attachments' })).getAllByTestId('attachment');
  const sendButton = () => screen.getByRole('button', { name: 'Send message' });

  it('uploads picked files with progress, cancels one, then sends the uploaded one with its id', async () => {
    const user = await openGeneral();
    const pdf = fakeFile('report.pdf', 'application/pdf', 4000);
    const png = fakeFile('shot.png', 'image/png', 2000);
    expect(screen.getByRole('button', { name: 'Attach files' })).toBeInTheDocument();
    await user.upload(screen.getByTestId('file-input'), [pdf, png]);

    expect(xhrs.requests.map((x) => [x.url, x.file.name])).toEqual([
      ['/api/rooms/g1/files', 'report.pdf'],
      ['/api/rooms/g1/files', 'shot.png'],
    ]);
    expect(attachments()).toHaveLength(2);
    expect(sendButton()).toBeDisabled(); // nothing uploaded yet
    act(() => xhrs.requests[0]!.progress(1000));
    const bar = screen.getByRole('progressbar', { name: 'Uploading report.pdf' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(attachments()[0]).toHaveTextContent('Uploading… 25% of 3.9 KB');
    expect(screen.getByTestId('upload-status')).toHaveTextContent('Uploading 2 files…');

    // cancel the image while it uploads: the request is aborted and the chip goes
    await user.click(screen.getByRole('button', { name: 'Cancel upload of shot.png' }));
    expect(xhrs.requests[1]!.aborted).toBe(true);
    expect(attachments()).toHaveLength(1);

    await settle(() => xhrs.requests[0]!.respond(201, fileInfo(pdf, 'f-pdf')));
    expect(attachments()[0]).toHaveAttribute('data-status', 'done');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(sendButton()).toBeEnabled(); // an uploaded file is enough, no text needed

    await user.click(sendButton());
    const sent = server.last.sentOfType('send').at(-1);
    expect(sent).toMatchObject({ room: 'g1', body: '', files: ['f-pdf'] });
    expect(sent?.clientMsgId).toEqual(expect.any(String));
    expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull();
    // shown at once as pending, with its file
    const pending = screen.getAllByTestId('message').at(-1)!;
    expect(pending).toHaveAttribute('data-status', 'pending');
    expect(within(pending).getByTestId('file-chip')).toHaveTextContent('report.pdf');
    // the echo confirms it
    emit({
      type: 'message',
      ...msg('g1', 2, alice, { body: '', clientMsgId: sent?.clientMsgId, files: [fileInfo(pdf, 'f-pdf')] }),
    });
    expect(screen.getAllByTestId('message')).toHaveLength(2);
    expect(screen.getAllByTestId('message').at(-1)).toHaveAttribute('data-status', 'sent');
  });

  it('sends text and files together', async () => {
    const user = await openGeneral();
    const a = fakeFile('a.txt', 'text/plain', 10);
    await user.upload(screen.getByTestId('file-input'), [a]);
    await settle(() => xhrs.last.respond(201, fileInfo(a, 'f-a')));
    await user.type(screen.getByTestId('composer'), 'see attached{Enter}');
    expect(server.last.sentOfType('send').at(-1)).toMatchObject({ body: 'see attached', files: ['f-a'] });
    expect(screen.getByTestId('composer')).toHaveValue('');
  });

  it('adds pasted images as attachments, but pastes rich text as text', async () => {
    await openGeneral();
    const box = screen.getByTestId('composer');
    const shot = fakeFile('image.png', 'image/png', 300);
    fireEvent.paste(box, { clipboardData: { files: [shot], types: ['Files'] } });
    expect(attachments()).toHaveLength(1);
    expect(xhrs.last.file.name).toBe('image.png');
    // a word processor copy: HTML + text + an image of it
    fireEvent.paste(box, {
      clipboardData: { files: [fakeFile('x.png', 'image/png')], types: ['text/plain', 'text/html', 'Files'] },
    });
    expect(xhrs.requests).toHaveLength(1);
  });

  it('takes files dropped on the conversation, with a drop hint while dragging', async () => {
    await openGeneral();
    const conversation = screen.getByTestId('conversation');
    const doc = fakeFile('notes.md', 'text/markdown', 50);
    fireEvent.dragEnter(conversation, { dataTransfer: { types: ['Files'], files: [] } });
    expect(screen.getByTestId('drop-overlay')).toHaveTextContent('Drop files to send to #general');
    fireEvent.dragOver(conversation, { dataTransfer: { types: ['Files'], files: [], dropEffect: 'none' } });
    fireEvent.drop(conversation, { dataTransfer: { types: ['Files'], files: [doc] } });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(xhrs.last.file.name).toBe('notes.md');
    expect(within(attachments()[0]!).getByTestId('attachment-name')).toHaveTextContent('notes.md');
    // dragging text is not a file drop
    fireEvent.dragEnter(conversation, { dataTransfer: { types: ['text/plain'], files: [] } });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
  });

  it('explains a 413 with the limit, then refuses bigger files without uploading; retries after a network error', async () => {
    const user = await openGeneral();
    const big = fakeFile('movie.mov', 'video/quicktime', 3000);
    await user.upload(screen.getByTestId('file-input'), big);
    await settle(() =>
      // the server's own answer: the limit is in its message only
      xhrs.last.respond(413, {
        error: { code: 'too_large', message: `the file is over the limit of ${25 * 1024 * 1024} bytes` },
      }),
    );
    const chip = attachments()[0]!;
    expect(chip).toHaveAttribute('data-status', 'error');
    expect(within(chip).getByRole('alert')).toHaveTextContent('Too large: the limit is 25 MB.');
    expect(within(chip).queryByRole('button', { name: /Retry/ })).toBeNull();
    expect(sendButton()).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Remove movie.mov' }));
    expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull();

    // now the limit is known: a file over it is refused here
    const huge = new File([new Uint8Array(8)], 'huge.iso', { type: 'application/octet-stream' });
    Object.defineProperty(huge, 'size', { value: 30 * 1024 * 1024 });
    await user.upload(screen.getByTestId('file-input'), huge);
    expect(xhrs.requests).toHaveLength(1);
    expect(within(attachments()[0]!).getByRole('alert')).toHaveTextContent('Too large: the limit is 25 MB.');
    await user.click(screen.getByRole('button', { name: 'Remove huge.iso' }));

    // refused type
    await user.upload(screen.getByTestId('file-input'), fakeFile('page.html', 'text/html'));
    await settle(() => xhrs.last.respond(400, { error: { code: 'bad_request', message: 'file type not allowed' } }));
    expect(within(attachments()[0]!).getByRole('alert')).toHaveTextContent('Not allowed: file type not allowed');
    await user.click(screen.getByRole('button', { name: 'Remove page.html' }));

    // connection lost: Retry uploads again
    const small = fakeFile('a.txt', 'text/plain', 20);
    await user.upload(screen.getByTestId('file-input'), small);
    await settle(() => xhrs.last.fail());
    expect(within(attachments()[0]!).getByRole('alert')).toHaveTextContent('lost connection');
    await user.click(screen.getByRole('button', { name: 'Retry a.txt' }));
    expect(xhrs.requests).toHaveLength(4);
    await settle(() => xhrs.last.respond(201, fileInfo(small, 'f-small')));
    expect(attachments()[0]).toHaveAttribute('data-status', 'done');
  });

  it('keeps a room’s uploads while another room is open', async () => {
    const user = await openGeneral();
    emit({ type: 'room', room: summary('g2', { name: 'random' }) });
    const a = fakeFile('a.txt', 'text/plain', 20);
    await user.upload(screen.getByTestId('file-input'), a);
    const other = screen.getAllByTestId('room-item').find((el) => el.getAttribute('data-room-id') === 'g2')!;
    await user.click(other);
    expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull();
    await settle(() => xhrs.last.respond(201, fileInfo(a, 'f-a')));
    await user.click(screen.getAllByTestId('room-item').find((el) => el.getAttribute('data-room-id') === 'g1')!);
    expect(attachments()[0]).toHaveAttribute('data-status', 'done');
  });
});
