// The one HTTP helper: same origin, cookie auth, JSON in and out, typed errors.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof err?.code === 'string' ? err.code : String(res.status);
    const message = typeof err?.message === 'string' ? err.message : res.statusText || 'Request failed';
    throw new ApiError(res.status, code, message);
  }
  return json as T;
}

export const enc = encodeURIComponent;
