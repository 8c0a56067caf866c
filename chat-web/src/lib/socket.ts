// The one WebSocket client of the UI. It owns the connection, reconnects with exponential backoff
// and jitter, and reports a connection state. It knows frames, not chat rules: the controller
// (src/app/controller.ts) reacts to `ready` by sending `sync` and resending pending messages.

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { CloseCodes, parseServerEvent, type ClientCommand, type ServerEvent } from './protocol';

/** What the UI shows: connecting (first attempt), online (after `ready`), reconnecting, offline. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'signedOut';

/** The part of the browser WebSocket this client uses (tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface ChatSocketOptions {
  url?: string | (() => string);
  createSocket?: (url: string) => WebSocketLike;
  backoff?: BackoffOptions;
  random?: () => number;
  /**
   * Called when a handshake failed (closed before it ever opened): the browser hides the HTTP
   * status, so ask the server whether we are still signed in. Resolve false for "signed out".
   */
  checkAuth?: () => Promise<boolean>;
}

const OPEN = 1;

let defaultFactory: ((url: string) => WebSocketLike) | null = null;

/** Tests swap the browser WebSocket for a fake here (null restores it). */
export function setDefaultSocketFactory(factory: ((url: string) => WebSocketLike) | null): void {
  defaultFactory = factory;
}

export function defaultSocketUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/ws`;
}

type EventListener = (ev: ServerEvent) => void;
type StateListener = (state: ConnectionState, info: { code?: number }) => void;

export class ChatSocket {
  private ws: WebSocketLike | null = null;
  private state: ConnectionState = 'offline';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private everConnected = false;
  private requestSeq = 0;
  private readonly eventListeners = new Set<EventListener>();
  private readonly stateListeners = new Set<StateListener>();

  constructor(private readonly options: ChatSocketOptions = {}) {}

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** True once `ready` arrived on the current connection. */
  get isOnline(): boolean {
    return this.state === 'online' && this.ws?.readyState === OPEN;
  }

  /** How many reconnect attempts failed in a row (for tests and the UI). */
  get failedAttempts(): number {
    return this.attempt;
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** A fresh request id for commands that expect an answer. */
  nextId(): string {
    this.requestSeq += 1;
    return `c${this.requestSeq}`;
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.everConnected = false;
    this.open();
  }

  /** Close for good (sign-out, unmount). */
  close(): void {
    this.stopped = true;
    this.clearTimer();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      this.detach(ws);
      try {
        ws.close(CloseCodes.NORMAL, 'bye');
      } catch {
        /* already closed */
      }
    }
    this.setState('offline');
  }

  /** Skip the backoff wait (the browser came back online, or the user pressed "Reconnect"). */
  reconnectNow(): void {
    if (this.state === 'signedOut') return;
    if (this.stopped) {
      this.connect();
      return;
    }
    if (this.ws && this.ws.readyState <= OPEN) return;
    this.clearTimer();
    this.open();
  }

  /** Sends a command if the connection is online; returns false when it could not. */
  send(command: ClientCommand): boolean {
    if (!this.isOnline || !this.ws) return false;
    try {
      this.ws.send(JSON.stringify(command));
      return true;
    } catch {
      return false;
    }
  }

  private open(): void {
    this.setState(this.everConnected || this.attempt > 0 ? 'reconnecting' : 'connecting');
    const url = typeof this.options.url === 'function' ? this.options.url() : (this.options.url ?? defaultSocketUrl());
    const create = this.options.createSocket ?? defaultFactory ?? ((u: string) => new WebSocket(u));
    let ws: WebSocketLike;
    try {
      ws = create(url);
    } catch {
      this.scheduleReconnect(false);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onmessage = (ev: MessageEvent) => {
      const event = parseServerEvent(ev.data);
      if (!event) return;
      if (event.type === 'ready') {
        this.attempt = 0;
        this.everConnected = true;
        this.setState('online');
      }
      for (const l of [...this.eventListeners]) l(event);
    };
    ws.onerror = () => {
      /* a close event always follows */
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.detach(ws);
      this.ws = null;
      this.handleClose(ev.code, opened);
    };
  }

  private handleClose(code: number, opened: boolean): void {
    if (this.stopped) return;
    if (code === CloseCodes.SESSION_REVOKED) {
      this.stopped = true;
      this.setState('signedOut', { code });
      return;
    }
    if (code === CloseCodes.NORMAL) {
      // The server ended the conversation on purpose: do not reconnect by ourselves.
      this.stopped = true;
      this.setState('offline', { code });
      return;
    }
    this.scheduleReconnect(!opened, code);
  }

  private scheduleReconnect(handshakeFailed: boolean, code?: number): void {
    this.setState('reconnecting', code === undefined ? {} : { code });
    const delay = backoffDelay(this.attempt, this.options.random, this.options.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      if (handshakeFailed && this.options.checkAuth) {
        this.options.checkAuth().then(
          (signedIn) => {
            if (this.stopped) return;
            if (!signedIn) {
              this.stopped = true;
              this.setState('signedOut');
            } else {
              this.open();
            }
          },
          () => {
            if (!this.stopped) this.open();
          },
        );
      } else {
        this.open();
      }
    }, delay);
  }

  private detach(ws: WebSocketLike): void {
    ws.onopen = null;
    ws.onmessage = null;
    ws.onerror = null;
    ws.onclose = null;
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private setState(state: ConnectionState, info: { code?: number } = {}): void {
    if (this.state === state) return;
    this.state = state;
    for (const l of [...this.stateListeners]) l(state, info);
  }
}
