// The external store the UI subscribes to (useSyncExternalStore): one immutable state object,
// shallow patches, listeners told after every change, or once after a batch of changes.
// Feature slices see it through SliceStore: the part they own (writable) and the parts they read.

export type Listener = () => void;

/** What a feature slice may do with the store: write its own part, read its own and `Reads`. */
export interface SliceStore<Own extends object, Reads extends object = object> {
  getState(): Readonly<Own & Reads>;
  set(patch: Partial<Own>): void;
  subscribe(listener: Listener): () => void;
}

export class Store<S extends object> implements SliceStore<S> {
  private state: S;
  private readonly listeners = new Set<Listener>();
  private batchDepth = 0;
  private changedInBatch = false;

  constructor(initial: S) {
    this.state = initial;
  }

  getState = (): S => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  set(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    if (this.batchDepth > 0) this.changedInBatch = true;
    else this.emit();
  }

  /** Runs `fn`; listeners hear once at the end, so they never see a half-applied event. */
  batch(fn: () => void): void {
    this.batchDepth += 1;
    try {
      fn();
    } finally {
      this.batchDepth -= 1;
      if (this.batchDepth === 0 && this.changedInBatch) {
        this.changedInBatch = false;
        this.emit();
      }
    }
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
