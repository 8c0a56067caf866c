import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ErrorBoundary } from './ErrorBoundary';

let broken = true;

function Fragile({ text }: { text: string }) {
  if (broken) throw new Error('render failed');
  return <p>{text}</p>;
}

describe('ErrorBoundary', () => {
  beforeEach(() => {
    broken = true;
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught error
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows the fallback for the failed area only; Retry renders it again', async () => {
    const user = userEvent.setup();
    render(
      <>
        <ErrorBoundary area="the conversation list">
          <Fragile text="rooms" />
        </ErrorBoundary>
        <ErrorBoundary area="the conversation">
          <p>messages</p>
        </ErrorBoundary>
      </>,
    );
    const fallback = screen.getByRole('alert');
    expect(fallback).toHaveTextContent('Something went wrong in the conversation list.');
    expect(fallback).toHaveAttribute('data-area', 'the conversation list');
    expect(screen.getByText('messages')).toBeInTheDocument();

    broken = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('rooms')).toBeInTheDocument();
    expect(screen.getByText('messages')).toBeInTheDocument();
  });

  it('stays failed while Retry fails again, and resets when resetKey changes', async () => {
    const user = userEvent.setup();
    const view = (key: string) => (
      <ErrorBoundary area="the conversation" resetKey={key}>
        <Fragile text={key} />
      </ErrorBoundary>
    );
    const { rerender } = render(view('r1'));
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong in the conversation.');
    broken = false;
    rerender(view('r2'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('r2')).toBeInTheDocument();
  });

  it('puts the fallback in the area frame and offers Close when asked', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <ErrorBoundary
        area="the search results"
        frame={(fallback) => <aside aria-label="Search results">{fallback}</aside>}
        onClose={onClose}
      >
        <Fragile text="hits" />
      </ErrorBoundary>,
    );
    const frame = screen.getByRole('complementary', { name: 'Search results' });
    expect(frame).toContainElement(screen.getByRole('alert'));
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
