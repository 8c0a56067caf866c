// What the contract's `error` codes mean to a person.

const ERROR_TEXT: Record<string, string> = {
  bad_request: 'The server did not accept this.',
  unauthorized: 'You are signed out.',
  forbidden: 'You are not allowed to do that here.',
  not_found: 'It no longer exists.',
  too_large: 'The message is too long.',
  rate_limited: 'Slow down: too many messages at once.',
  conflict: 'That conflicts with a change made elsewhere.',
  internal: 'The server had a problem. Try again.',
};

export function describeError(e: { code: string; message?: string }): string {
  return ERROR_TEXT[e.code] ?? e.message ?? 'Something went wrong.';
}
