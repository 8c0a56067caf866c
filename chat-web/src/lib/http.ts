// The one HTTP helper: same origin, cookie auth, JSON in and out, typed errors. Uploads go
// through XMLHttpRequest (upload progress and abort), with the same conventions.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole `error` object of the answer, for fields beyond code and message. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached at all (offline, DNS, refused, CORS...). */
export class NetworkError extends Error {
  constructor(message = 'Lost connection to the server.') {
    super(message);
    this.name = 'NetworkError';
  }
}

export type Fetch = typeof fetch;

let fetchImpl: Fetch | null = null;

/** Tests replace fetch here. */
export function setFetch(f: Fetch | null): void {
  fetchImpl = f;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const f = fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new NetworkError();
  }
  const text = await res.text().catch(() => '');
  const json = parseJson(text);
  if (!res.ok) throw errorFrom(res.status, res.statusText, json);
  return json as T;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ApiError of a failed answer: `{"error": {code, message}}` when the body has it. */
function errorFrom(status: number, statusText: string, json: unknown): ApiError {
  const raw = (json as { error?: unknown } | undefined)?.error;
  const err = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const code = typeof err.code === 'string' ? err.code : String(status);
  const message = typeof err.message === 'string' ? err.message : statusText || 'Request failed';
  return new ApiError(status, code, message, err);
}

// ---- uploads ---------------------------------------------------------------------------------

/** The part of XMLHttpRequest an upload uses (tests hand in a fake). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  withCredentials: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: ProgressEvent) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

let xhrFactory: (() => XhrLike) | null = null;

/** Tests replace XMLHttpRequest here. */
export function setXhrFactory(f: (() => XhrLike) | null): void {
  xhrFactory = f;
}

/** The upload was cancelled here (abort()); not an error to show. */
export class UploadAbortedError extends Error {
  constructor() {
    super('Upload cancelled.');
    this.name = 'UploadAbortedError';
  }
}

export interface Upload<T> {
  /** The JSON answer; ApiError, NetworkError or UploadAbortedError otherwise. */
  promise: Promise<T>;
  abort(): void;
}

/**
 * POSTs `form` (multipart/form-data; the browser sets the boundary) to a same-origin path with the
 * session cookie, reporting the bytes sent so far. The browser adds `Origin` to the POST, which is
 * what the server checks for cookie-authenticated requests.
 */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress?: (loaded: number, total: number) => void,
): Upload<T> {
  const xhr = xhrFactory ? xhrFactory() : (new XMLHttpRequest() as XhrLike);
  let settled = false;
  let cancel = () => {};
  const promise = new Promise<T>((resolve, reject) => {
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    cancel = () => finish(() => reject(new UploadAbortedError()));
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (!settled && e.lengthComputable) onProgress?.(e.loaded, e.total);
    };
    xhr.onload = () =>
      finish(() => {
        const json = parseJson(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
        else if (xhr.status === 0) reject(new NetworkError());
        else reject(errorFrom(xhr.status, xhr.statusText, json));
      });
    xhr.onerror = () => finish(() => reject(new NetworkError()));
    xhr.onabort = cancel;
    xhr.send(form);
  });
  return {
    promise,
    abort: () => {
      if (settled) return;
      xhr.abort();
      cancel(); // in case the request never fires `abort`
    },
  };
}

export const enc = encodeURIComponent;
