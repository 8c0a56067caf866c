/**
 * Exponential backoff with "equal jitter": the delay for attempt n (0-based) is drawn uniformly
 * from [d/2, d] where d = min(maxMs, baseMs * 2^n). Never zero, so a flapping server is not
 * hammered, and spread out, so many clients do not reconnect in lockstep.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
