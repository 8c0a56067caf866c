import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError, setXhrFactory, upload, UploadAbortedError } from './http';
import { FakeXhrServer, fakeFile } from '../test/fakeXhr';

describe('upload (XMLHttpRequest)', () => {
  let xhrs: FakeXhrServer;
  beforeEach(() => {
    xhrs = new FakeXhrServer();
    setXhrFactory(xhrs.create);
  });
  afterEach(() => setXhrFactory(null));

  function start() {
    const form = new FormData();
    form.append('file', fakeFile('a.png', 'image/png', 2000), 'a.png');
    const onProgress = vi.fn();
    return { up: upload<{ id: string }>('/api/rooms/r1/files', form, onProgress), onProgress };
  }

  it('posts the form with the cookie, reports progress, resolves with the JSON answer', async () => {
    const { up, onProgress } = start();
    const x = xhrs.last;
    expect(x).toMatchObject({ method: 'POST', url: '/api/rooms/r1/files', withCredentials: true });
    expect(x.headers).toEqual({ Accept: 'application/json' }); // the browser sets the multipart boundary
    expect(x.file.name).toBe('a.png');
    x.progress(500);
    x.progress(2000);
    expect(onProgress.mock.calls).toEqual([
      [500, 2000],
      [2000, 2000],
    ]);
    x.respond(201, { id: 'f1' });
    await expect(up.promise).resolves.toEqual({ id: 'f1' });
  });

  it('rejects with ApiError (with the error’s details), NetworkError or UploadAbortedError', async () => {
    const a = start();
    xhrs.last.respond(413, { error: { code: 'too_large', message: 'File too large', maxBytes: 1024 } });
    const err = await a.up.promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 413, code: 'too_large', message: 'File too large' });
    expect((err as ApiError).details.maxBytes).toBe(1024);

    const b = start();
    xhrs.last.fail();
    await expect(b.up.promise).rejects.toBeInstanceOf(NetworkError);

    const c = start();
    c.up.abort();
    expect(xhrs.last.aborted).toBe(true);
    await expect(c.up.promise).rejects.toBeInstanceOf(UploadAbortedError);
    xhrs.last.respond(201, { id: 'late' }); // nothing happens after the abort
    c.up.abort();
  });
});
