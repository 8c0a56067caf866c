import { ApiError, NetworkError } from '../../lib/http';

export function httpErrorText(e: unknown): string {
  if (e instanceof NetworkError) return 'Lost connection to the server. Try again.';
  if (e instanceof ApiError) {
    switch (e.status) {
      case 401:
        return 'You are signed out. Sign in again.';
      case 403:
        return 'You are not allowed to do that.';
      case 404:
        return e.message || 'Not found.';
      case 409:
        return e.message || 'That already exists.';
      case 429:
        return 'Too many requests. Wait a moment.';
      default:
        return e.message || 'Something went wrong.';
    }
  }
  return 'Something went wrong.';
}
