import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../lib/protocol';
import { authErrorText, login, register } from './authApi';

type Mode = 'signin' | 'signup';

export function AuthScreen({ onSignedIn, notice }: { onSignedIn: (user: User) => void; notice?: string | null }) {
  const [mode, setMode] = useState<Mode>('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError('Enter a username and a password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer =
        mode === 'signin'
          ? await login(username.trim(), password)
          : await register(username.trim(), password, displayName);
      onSignedIn(answer.user);
    } catch (err) {
      setError(authErrorText(err, mode));
      setBusy(false);
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setError(null);
  }

  const title = mode === 'signin' ? 'Sign in to Natter' : 'Create your Natter account';
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-title" noValidate data-testid="auth-form">
        <div className="brand" aria-hidden="true">
          natter
        </div>
        <h1 id="auth-title">{title}</h1>
        {notice && !error ? (
          <p className="auth-notice" role="status">
            {notice}
          </p>
        ) : null}
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? errorId : undefined}
            data-testid="auth-username"
            required
          />
        </label>
        {mode === 'signup' ? (
          <label>
            Display name <span className="optional">(optional)</span>
            <input
              name="displayName"
              autoComplete="nickname"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
              data-testid="auth-display-name"
            />
          </label>
        ) : null}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? errorId : undefined}
            data-testid="auth-password"
            required
          />
        </label>
        {error ? (
          <p id={errorId} className="auth-error" role="alert" data-testid="auth-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy} data-testid="auth-submit">
          {busy ? 'Please wait…' : mode === 'signin' ? 'Sign in' : 'Sign up'}
        </button>
        <p className="auth-switch">
          {mode === 'signin' ? (
            <>
              New here?{' '}
              <button type="button" className="link" onClick={() => switchMode('signup')} data-testid="auth-switch">
                Create an account
              </button>
            </>
          ) : (
            <>
              Already have an account?{' '}
              <button type="button" className="link" onClick={() => switchMode('signin')} data-testid="auth-switch">
                Sign in
              </button>
            </>
          )}
        </p>
      </form>
    </main>
  );
}
