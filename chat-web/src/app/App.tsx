import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../lib/http';
import type { User } from '../lib/protocol';
import { fetchMe } from '../features/auth/authApi';
import { AuthScreen } from '../features/auth/AuthScreen';
import { ChatApp } from './ChatApp';
import { ErrorBoundary } from './ErrorBoundary';

type Session =
  | { status: 'loading' }
  | { status: 'signedOut'; notice?: string }
  | { status: 'signedIn'; user: User }
  | { status: 'unreachable' };

/** Decides between the sign-in screen and the chat: the HttpOnly cookie survives reloads, so ask /api/me. */
export function App() {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    fetchMe().then(
      (user) => {
        if (!cancelled) setSession({ status: 'signedIn', user });
      },
      (e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) setSession({ status: 'signedOut' });
        else if (e instanceof ApiError) setSession({ status: 'signedOut' });
        else setSession({ status: 'unreachable' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const onSignedOut = useCallback((notice?: string) => {
    setSession(notice ? { status: 'signedOut', notice } : { status: 'signedOut' });
  }, []);

  switch (session.status) {
    case 'loading':
      return (
        <div className="splash" role="status" aria-live="polite" data-testid="app-loading">
          Loading Natter…
        </div>
      );
    case 'unreachable':
      return (
        <main className="auth">
          <div className="auth-card" role="alert" data-testid="app-unreachable">
            <h1>Cannot reach the server</h1>
            <p>Lost connection to the server. Check your connection and try again.</p>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setSession({ status: 'loading' });
                setAttempt((a) => a + 1);
              }}
            >
              Try again
            </button>
          </div>
        </main>
      );
    case 'signedOut':
      return (
        <AuthScreen notice={session.notice ?? null} onSignedIn={(user) => setSession({ status: 'signedIn', user })} />
      );
    case 'signedIn':
      return (
        <ErrorBoundary area="the chat" resetKey={session.user.id}>
          <ChatApp key={session.user.id} user={session.user} onSignedOut={onSignedOut} />
        </ErrorBoundary>
      );
  }
}
