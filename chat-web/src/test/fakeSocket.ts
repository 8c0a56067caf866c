// A scripted stand-in for the browser WebSocket, for ChatSocket and controller tests.
import type { WebSocketLike } from '../lib/socket';
import type { ClientCommand, RoomSummary, ServerEvent, User, WireMessage } from '../lib/protocol';

export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  readonly sent: ClientCommand[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as ClientCommand);
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // ---- driven by the test ----
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  emit(event: ServerEvent | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
  }

  emitRaw(data: string): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  serverClose(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }

  sentOfType<T extends ClientCommand['type']>(type: T): Extract<ClientCommand, { type: T }>[] {
    return this.sent.filter((c): c is Extract<ClientCommand, { type: T }> => c.type === type);
  }
}

export class FakeSocketServer {
  readonly sockets: FakeWebSocket[] = [];
  create = (url: string): FakeWebSocket => {
    const ws = new FakeWebSocket(url);
    this.sockets.push(ws);
    return ws;
  };
  get last(): FakeWebSocket {
    const ws = this.sockets[this.sockets.length - 1];
    if (!ws) throw new Error('no socket created');
    return ws;
  }
}

export const alice: User = { id: 'u-alice', username: 'alice', displayName: 'Alice' };
export const bob: User = { id: 'u-bob', username: 'bob', displayName: 'Bob' };
export const carol: User = { id: 'u-carol', username: 'carol', displayName: 'Carol' };

export function msg(room: string, seq: number, sender: User = bob, extra: Partial<WireMessage> = {}): WireMessage {
  return {
    room,
    seq,
    messageId: `${room}-m${seq}`,
    sender,
    body: `message ${seq}`,
    ts: new Date(Date.UTC(2026, 10, 20, 10, 0, seq)).toISOString(),
    deleted: false,
    reactions: {},
    ...extra,
  };
}

export function summary(id: string, extra: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id,
    kind: 'group',
    name: `Room ${id}`,
    visibility: 'public',
    members: [alice, bob],
    myRole: 'member',
    lastSeq: 0,
    lastMessage: null,
    unread: 0,
    lastReadSeq: 0,
    ...extra,
  };
}
