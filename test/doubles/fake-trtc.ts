/**
 * A test double of trtc-js-sdk v4's namespace and Client (the subset in the SDK's index.d.ts that
 * the element uses), with join/leave promises the test settles and events the test fires.
 */
import type { TrtcV4Client, TrtcV4Namespace } from '../../src/sdk/v4.js';

type Handler = (payload: any) => void;
export type Behaviour = 'resolve' | 'pending' | { reject: unknown };

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
  settled: boolean;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const d: Deferred = {
    promise,
    settled: false,
    resolve: () => {
      d.settled = true;
      resolve();
    },
    reject: (error) => {
      d.settled = true;
      reject(error);
    },
  };
  return d;
}

/** The handlers a double's client holds, by event name: what both SDK doubles do with on/off/fire. */
export class HandlerMap extends Map<string, Set<Handler>> {
  add(event: string, handler: Handler): void {
    if (!this.has(event)) this.set(event, new Set());
    this.get(event)!.add(handler);
  }

  remove(event: string, handler: Handler): void {
    this.get(event)?.delete(handler);
  }

  get count(): number {
    let count = 0;
    for (const set of this.values()) count += set.size;
    return count;
  }

  fire(event: string, payload?: unknown): void {
    for (const handler of [...(this.get(event) ?? [])]) handler(payload);
  }
}

/** The promise a double's join or leave returns: settled now, rejected, or left for the test to settle (`keep`). */
export function settleAs(behaviour: Behaviour, keep: (d: Deferred) => void): Promise<void> {
  if (behaviour === 'resolve') return Promise.resolve();
  if (behaviour === 'pending') {
    const d = deferred();
    keep(d);
    return d.promise;
  }
  return Promise.reject(behaviour.reject);
}

/** An error shaped like the SDK's RtcError. */
export function rtcError(code: number, message = `TRTC error 0x${code.toString(16)}`): Error & { getCode(): number } {
  return Object.assign(new Error(message), { name: 'RtcError', getCode: () => code });
}

export class FakeClient implements TrtcV4Client {
  readonly handlers = new HandlerMap();
  readonly joinCalls: Array<{ roomId: number | string; role?: string }> = [];
  leaveCalls = 0;
  destroyed = false;
  pendingJoin: Deferred | undefined;
  pendingLeave: Deferred | undefined;

  constructor(
    readonly sdk: FakeTrtc,
    readonly config: Parameters<TrtcV4Namespace['createClient']>[0],
  ) {}

  /** Each setProxyServer() value, with how many joins this client had been asked for before it. */
  readonly proxyCalls: Array<{ proxy: string | object; joinsBefore: number }> = [];

  setProxyServer(proxy: string | object): void {
    this.proxyCalls.push({ proxy, joinsBefore: this.joinCalls.length });
  }

  join(options: { roomId: number | string; role?: 'anchor' | 'audience' }): Promise<void> {
    this.joinCalls.push(options);
    return settleAs(this.sdk.joinBehaviour, (d) => (this.pendingJoin = d));
  }

  leave(): Promise<void> {
    this.leaveCalls += 1;
    return settleAs(this.sdk.leaveBehaviour, (d) => (this.pendingLeave = d));
  }

  destroy(): void {
    this.destroyed = true;
  }

  on(event: string, handler: Handler): void {
    this.handlers.add(event, handler);
  }

  off(event: string, handler: Handler): void {
    this.handlers.remove(event, handler);
  }

  get handlerCount(): number {
    return this.handlers.count;
  }

  /** Fires an SDK event at the element's handlers, as the SDK would. */
  fire(event: string, payload?: unknown): void {
    this.handlers.fire(event, payload);
  }
}

export class FakeTrtc implements TrtcV4Namespace {
  readonly clients: FakeClient[] = [];
  joinBehaviour: Behaviour = 'resolve';
  leaveBehaviour: Behaviour = 'resolve';

  createClient(config: Parameters<TrtcV4Namespace['createClient']>[0]): FakeClient {
    const client = new FakeClient(this, config);
    this.clients.push(client);
    return client;
  }

  get liveClients(): FakeClient[] {
    return this.clients.filter((client) => !client.destroyed);
  }

  get lastClient(): FakeClient {
    const client = this.clients.at(-1);
    if (!client) throw new Error('No client was created.');
    return client;
  }

  /** Every join call of every client, in order. */
  get joins(): Array<{ roomId: number | string; role?: string }> {
    return this.clients.flatMap((client) => client.joinCalls);
  }
}
