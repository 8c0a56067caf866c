// A scripted stand-in for XMLHttpRequest uploads (lib/http.ts upload()).
import type { XhrLike } from '../lib/http';

export class FakeXhr implements XhrLike {
  method = '';
  url = '';
  readonly headers: Record<string, string> = {};
  body: FormData | null = null;
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  aborted = false;
  readonly upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }

  // ---- driven by the test ----

  /** The uploaded file (the form's `file` field). */
  get file(): File {
    return this.body?.get('file') as File;
  }

  progress(loaded: number, total = this.file.size): void {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total } as ProgressEvent);
  }

  respond(status: number, json?: unknown): void {
    this.status = status;
    this.responseText = json === undefined ? '' : JSON.stringify(json);
    this.onload?.();
  }

  fail(): void {
    this.onerror?.();
  }
}

export class FakeXhrServer {
  readonly requests: FakeXhr[] = [];
  create = (): FakeXhr => {
    const xhr = new FakeXhr();
    this.requests.push(xhr);
    return xhr;
  };
  get last(): FakeXhr {
    const x = this.requests[this.requests.length - 1];
    if (!x) throw new Error('no upload started');
    return x;
  }
}

/** A File of `size` bytes. */
export function fakeFile(name: string, type: string, size = 1000): File {
  return new File([new Uint8Array(size)], name, { type });
}
