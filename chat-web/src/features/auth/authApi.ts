import { api, ApiError, NetworkError } from '../../lib/http';
import type { User } from '../../lib/protocol';

export interface AuthAnswer {
  user: User;
  token?: string;
}

export function fetchMe(): Promise<User> {
  return api<User>('GET', '/api/me');
}

export function login(username: string, password: string): Promise<AuthAnswer> {
  return api<AuthAnswer>('POST', '/api/login', { username, password });
}

export function register(username: string, password: string, displayName?: string): Promise<AuthAnswer> {
  const body: Record<string, string> = { username, password };
  if (displayName?.trim()) body.displayName = displayName.trim();
  return api<AuthAnswer>('POST', '/api/register', body);
}

export function logout(): Promise<void> {
  return api<void>('POST', '/api/logout');
}

/** True when signed in, false on 401; throws when the server cannot be reached. */
export async function stillSignedIn(): Promise<boolean> {
  try {
    await fetchMe();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
}

/** A clear sentence for a failed sign-in or sign-up. */
export function authErrorText(e: unknown, mode: 'signin' | 'signup'): string {
  if (e instanceof NetworkError) return 'Lost connection to the server. Check your connection and try again.';
  if (e instanceof ApiError) {
    if (e.status === 401) return 'Wrong username or password.';
    if (e.status === 409) return 'That username is taken. Try another one.';
    if (e.status === 429) return 'Too many attempts. Wait a moment and try again.';
    if (e.status === 400)
      return e.message || (mode === 'signup' ? 'Check the username and password.' : 'Check your input.');
    if (e.status >= 500) return 'The server had a problem. Try again in a moment.';
    return e.message || 'Something went wrong.';
  }
  return 'Something went wrong.';
}
