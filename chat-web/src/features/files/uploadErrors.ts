import { ApiError, NetworkError } from '../../lib/http';
import { formatBytes } from '../../lib/files';

export interface UploadFailure {
  text: string;
  /** Trying again may work (connection, server trouble, rate limit). */
  retryable: boolean;
  /** The server's size limit, when the 413 answer said it. */
  limit?: number;
}

/**
 * The size limit a 413 answer carries, if any: a number in its error (`maxBytes`, `limit` or
 * `maxSize`), else the one Natter's message names: "the file is over the limit of N bytes" when
 * the request says its size is over it, "the file is over N bytes" when the file passes it.
 */
export function limitOf(e: ApiError): number | undefined {
  for (const key of ['maxBytes', 'limit', 'maxSize']) {
    const v = e.details[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  const named = /\bover (?:the limit of )?(\d+) bytes\b/.exec(e.message);
  const bytes = named ? Number(named[1]) : NaN;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

export function tooLargeText(limit: number | undefined): string {
  return limit ? `Too large: the limit is ${formatBytes(limit)}.` : 'Too large for the server.';
}

/** What a failed upload means to a person. */
export function uploadFailure(e: unknown): UploadFailure {
  if (e instanceof NetworkError) return { text: 'Upload failed: lost connection to the server.', retryable: true };
  if (!(e instanceof ApiError)) return { text: 'Upload failed.', retryable: true };
  switch (e.status) {
    case 413: {
      const limit = limitOf(e);
      if (limit) return { text: tooLargeText(limit), retryable: false, limit };
      // Natter's own answer says why in its message; a proxy's 413 (no JSON) says nothing useful.
      return e.code === 'too_large' && e.message
        ? { text: `Too large: ${e.message}`, retryable: false }
        : { text: tooLargeText(undefined), retryable: false };
    }
    case 400:
    case 415:
      return { text: e.message ? `Not allowed: ${e.message}` : 'This kind of file is not allowed.', retryable: false };
    case 401:
      return { text: 'You are signed out.', retryable: false };
    case 403:
    case 404:
      return { text: 'You cannot upload files to this conversation.', retryable: false };
    case 429:
      return { text: 'Too many uploads at once. Wait a moment, then retry.', retryable: true };
    default:
      return { text: `Upload failed (${e.status}). Try again.`, retryable: e.status >= 500 };
  }
}
