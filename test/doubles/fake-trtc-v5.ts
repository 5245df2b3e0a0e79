/**
 * A test double of trtc-sdk-v5's `TRTC` class and instance (the subset of the SDK's index.d.ts the
 * element uses), with enterRoom/exitRoom promises the test settles and events the test fires. It has
 * the same controls as the v4 double (FakeTrtc).
 */
import type TRTC from 'trtc-sdk-v5';
import type { EnterRoomConfig, TRTCEvent, TRTCEventTypes } from 'trtc-sdk-v5';
import type { TrtcV5Sdk } from '../../src/sdk/v5.js';
import { V5_MEDIA_EVENTS } from '../../src/sdk/media-v5.js';
import { HandlerMap, settleAs, type Behaviour, type Deferred } from './fake-trtc.js';

type Handler = (...args: any[]) => void;
type EventName = keyof TRTCEventTypes;

// The published SDK must fit the adapter's view of it: this line stops compiling if index.d.ts drifts.
export type RealSdkFitsTheAdapter = typeof TRTC extends TrtcV5Sdk ? true : never;
const realSdkFitsTheAdapter: RealSdkFitsTheAdapter = true;
void realSdkFitsTheAdapter;

/** `TRTC.EVENT`'s values for the events the element uses, checked against the SDK's typings. */
export const EVENT = {
  ERROR: 'error',
  KICKED_OUT: 'kicked-out',
  REMOTE_USER_ENTER: 'remote-user-enter',
  REMOTE_USER_EXIT: 'remote-user-exit',
  CONNECTION_STATE_CHANGED: 'connection-state-changed',
} as const satisfies Pick<
  typeof TRTCEvent,
  'ERROR' | 'KICKED_OUT' | 'REMOTE_USER_ENTER' | 'REMOTE_USER_EXIT' | 'CONNECTION_STATE_CHANGED'
>;

/** The adapter's media event names, checked against the SDK's typings (this stops compiling if they drift). */
export const MEDIA_EVENT = V5_MEDIA_EVENTS satisfies Pick<typeof TRTCEvent, keyof typeof V5_MEDIA_EVENTS>;

/** An error shaped like v5's RtcError: a numeric `code` (no getCode()), and the failing function's name. */
export function rtcErrorV5(
  code: number,
  message = `TRTC error ${code}`,
  functionName = 'enterRoom',
): Error & { code: number; functionName: string } {
  return Object.assign(new Error(message), { name: 'RtcError', code, functionName });
}

/** One `TRTC.create()` instance. */
export class FakeTrtcV5Instance implements Pick<TRTC, 'enterRoom' | 'exitRoom' | 'destroy'> {
  readonly handlers = new HandlerMap();
  readonly enterRoomCalls: EnterRoomConfig[] = [];
  exitRoomCalls = 0;
  /** Every SDK method the element called, in order. */
  readonly calls: Array<'enterRoom' | 'exitRoom' | 'destroy'> = [];
  destroyed = false;
  pendingJoin: Deferred | undefined;
  pendingLeave: Deferred | undefined;

  constructor(readonly sdk: FakeTrtcV5) {}

  enterRoom(params: EnterRoomConfig): Promise<void> {
    this.calls.push('enterRoom');
    this.enterRoomCalls.push(params);
    return settleAs(this.sdk.joinBehaviour, (d) => (this.pendingJoin = d));
  }

  exitRoom(): Promise<void> {
    this.calls.push('exitRoom');
    this.exitRoomCalls += 1;
    return settleAs(this.sdk.leaveBehaviour, (d) => (this.pendingLeave = d));
  }

  /** Unlike the real SDK, keeps its handlers, so tests see that the element removed them itself. */
  destroy(): void {
    this.calls.push('destroy');
    this.destroyed = true;
  }

  on<T extends EventName>(event: T, handler: (...args: TRTCEventTypes[T]) => void): this {
    this.handlers.add(event, handler as Handler);
    return this;
  }

  off<T extends EventName>(event: T, handler: (...args: TRTCEventTypes[T]) => void): this {
    this.handlers.remove(event, handler as Handler);
    return this;
  }

  get handlerCount(): number {
    return this.handlers.count;
  }

  /** Fires an SDK event at the element's handlers, as the SDK would. Loosely typed: tests also send what the typings do not promise. */
  fire(event: string, payload?: unknown): void {
    this.handlers.fire(event, payload);
  }
}

/** Stands in for the `TRTC` class: its static `create()` and `EVENT`. */
export class FakeTrtcV5 {
  readonly EVENT = EVENT;
  readonly instances: FakeTrtcV5Instance[] = [];
  joinBehaviour: Behaviour = 'resolve';
  leaveBehaviour: Behaviour = 'resolve';

  create(): FakeTrtcV5Instance {
    const instance = new FakeTrtcV5Instance(this);
    this.instances.push(instance);
    return instance;
  }

  /** The same controls as the v4 double: a v5 "client" is a TRTC instance. */
  get clients(): FakeTrtcV5Instance[] {
    return this.instances;
  }

  get liveClients(): FakeTrtcV5Instance[] {
    return this.instances.filter((instance) => !instance.destroyed);
  }

  get lastClient(): FakeTrtcV5Instance {
    const instance = this.instances.at(-1);
    if (!instance) throw new Error('No TRTC instance was created.');
    return instance;
  }

  /** Every enterRoom call of every instance, in order. */
  get joins(): EnterRoomConfig[] {
    return this.instances.flatMap((instance) => instance.enterRoomCalls);
  }
}
