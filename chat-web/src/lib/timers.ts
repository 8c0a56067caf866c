// Timeouts that one owner can cancel all at once (a signed-in session stops them on sign-out).

export type TimerHandle = ReturnType<typeof setTimeout>;

export class Timers {
  private readonly pending = new Set<TimerHandle>();

  /** Runs `fn` after `ms`, unless cancelled or cleared first. */
  later(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    this.pending.add(t);
    return t;
  }

  cancel(t: TimerHandle): void {
    clearTimeout(t);
    this.pending.delete(t);
  }

  clear(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}
