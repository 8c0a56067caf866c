import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthScreen } from './AuthScreen';
import { setFetch } from '../../lib/http';
import { alice } from '../../test/fakeSocket';

function respond(status: number, body?: unknown) {
  return vi.fn().mockResolvedValue(new Response(body === undefined ? null : JSON.stringify(body), { status }));
}

afterEach(() => setFetch(null));

async function fill(user: ReturnType<typeof userEvent.setup>, username: string, password: string) {
  await user.type(screen.getByLabelText('Username'), username);
  await user.type(screen.getByLabelText('Password'), password);
}

describe('AuthScreen', () => {
  it('signs in with POST /api/login', async () => {
    const fetch = respond(200, { user: alice, token: 't' });
    setFetch(fetch);
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<AuthScreen onSignedIn={onSignedIn} />);
    await fill(user, 'alice', 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith(alice);
    expect(fetch).toHaveBeenCalledWith(
      '/api/login',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ username: 'alice', password: 'secret' }) }),
    );
  });

  it('says so clearly on a wrong password (401)', async () => {
    setFetch(respond(401, { error: { code: 'unauthorized', message: 'bad credentials' } }));
    const user = userEvent.setup();
    render(<AuthScreen onSignedIn={vi.fn()} />);
    await fill(user, 'alice', 'nope');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('says so clearly when the username is taken (409)', async () => {
    setFetch(respond(409, { error: { code: 'conflict', message: 'taken' } }));
    const user = userEvent.setup();
    render(<AuthScreen onSignedIn={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading')).toHaveTextContent('Create your Natter account');
    await fill(user, 'alice', 'secret123');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('That username is taken.');
  });

  it('says so clearly when the server cannot be reached', async () => {
    setFetch(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const user = userEvent.setup();
    render(<AuthScreen onSignedIn={vi.fn()} />);
    await fill(user, 'alice', 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Lost connection to the server.');
  });

  it('does not send an empty form', async () => {
    const fetch = respond(200, {});
    setFetch(fetch);
    const user = userEvent.setup();
    render(<AuthScreen onSignedIn={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fetch).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a username and a password.');
  });
});
