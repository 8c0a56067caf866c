// Typing indicator: what I send (throttled) and how remote typists are described.

import type { User } from '../../lib/protocol';

/** Send `typing active:true` at most this often while typing. */
export const TYPING_THROTTLE_MS = 3000;
/** Send `typing active:false` after this long without a keystroke. */
export const TYPING_IDLE_MS = 3000;
/** Forget a remote typist this long after their last `active:true`. */
export const TYPING_EXPIRY_MS = 6000;

export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'several people are typing…';
}

export interface TypingClock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realClock: TypingClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Turns keystrokes into `typing` commands: `active:true` at most every 3 s while typing,
 * `active:false` after 3 s idle or when the message is sent.
 */
export class TypingSender {
  private active = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private idleTimer: unknown = null;

  constructor(
    private readonly send: (active: boolean) => void,
    private readonly clock: TypingClock = realClock,
  ) {}

  /** The user typed (the composer is not empty). */
  input(): void {
    const now = this.clock.now();
    if (!this.active || now - this.lastSentAt >= TYPING_THROTTLE_MS) {
      this.active = true;
      this.lastSentAt = now;
      this.send(true);
    }
    if (this.idleTimer !== null) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = null;
      this.stop();
    }, TYPING_IDLE_MS);
  }

  /** The message was sent, the composer emptied, or the room changed. */
  stop(): void {
    if (this.idleTimer !== null) {
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.active) {
      this.active = false;
      this.lastSentAt = Number.NEGATIVE_INFINITY;
      this.send(false);
    }
  }
}

/** Someone else typing in a room, until `expiresAt` (ms since the epoch). */
export interface TypingEntry {
  user: User;
  expiresAt: number;
}
