/**
 * A TRTC instance with trtc-sdk-v5's interface (enterRoom, exitRoom, destroy, on, off) and event names
 * and payloads (`kicked-out` { reason: 'kick' | 'banned' | 'room_disband' }, `remote-user-enter` /
 * `remote-user-exit` { userId }, `connection-state-changed` { prevState, state }, `error` RtcError with
 * `code`), built on the v4-shaped EmulatedV4Client so both generations share one room client.
 */
import type { TrtcV5EnterRoomParams } from '../sdk/v5.js';
import { EmulatedRtcError, type EmulatedV4Client } from './v4-client.js';

type Handler = (payload: any) => void;

/** trtc-sdk-v5's `TRTC.EVENT` names the emulator fires. */
export const V5_EVENT = Object.freeze({
  ERROR: 'error',
  KICKED_OUT: 'kicked-out',
  REMOTE_USER_ENTER: 'remote-user-enter',
  REMOTE_USER_EXIT: 'remote-user-exit',
  CONNECTION_STATE_CHANGED: 'connection-state-changed',
} as const);

/** trtc-sdk-v5's `TRTC.ERROR_CODE` values. */
export const V5_ERROR_CODE = Object.freeze({
  INVALID_PARAMETER: 5000,
  INVALID_OPERATION: 5100,
  ENV_NOT_SUPPORTED: 5200,
  DEVICE_ERROR: 5300,
  SERVER_ERROR: 5400,
  OPERATION_FAILED: 5500,
  OPERATION_ABORT: 5998,
  UNKNOWN_ERROR: 5999,
} as const);

/** What `enterRoom()` takes: the same fields the element's v5 adapter fills in. */
export type EmulatedEnterRoomConfig = TrtcV5EnterRoomParams;

/** An RtcError as v5 shapes it: `code` from ERROR_CODE, `extraCode` with the server's detail. */
export class EmulatedV5RtcError extends EmulatedRtcError {
  constructor(
    code: number,
    message: string,
    readonly extraCode?: number,
  ) {
    super(code, message);
  }
}

function toV5Error(error: unknown, code: number): EmulatedV5RtcError {
  if (error instanceof EmulatedV5RtcError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const extraCode = typeof (error as { getCode?: unknown })?.getCode === 'function' ? (error as { getCode(): number }).getCode() : undefined;
  return new EmulatedV5RtcError(code, message, extraCode);
}

export class EmulatedV5Trtc {
  private readonly handlers = new Map<string, Set<Handler>>();
  private client: EmulatedV4Client | null = null;
  destroyed = false;

  constructor(private readonly createClient: (config: { sdkAppId: number; userId: string; userSig: string; mode: 'rtc' | 'live'; useStringRoomId: boolean }) => EmulatedV4Client) {}

  on(event: string, handler: Handler): this {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
    return this;
  }

  off(event: string, handler?: Handler): this {
    if (event === '*') this.handlers.clear();
    else if (handler) this.handlers.get(event)?.delete(handler);
    else this.handlers.delete(event);
    return this;
  }

  get handlerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  /** The v4-shaped client underneath, once enterRoom has been called (for leak checks and faults). */
  get roomClient(): EmulatedV4Client | null {
    return this.client;
  }

  async enterRoom(params: EmulatedEnterRoomConfig): Promise<void> {
    if (this.destroyed) throw new EmulatedV5RtcError(V5_ERROR_CODE.INVALID_OPERATION, 'This TRTC instance was destroyed.');
    if (this.client?.joined) throw new EmulatedV5RtcError(V5_ERROR_CODE.INVALID_OPERATION, 'Already in a room: call exitRoom() first.');
    const stringRoom = params?.strRoomId !== undefined;
    if (stringRoom === (params?.roomId !== undefined)) {
      throw new EmulatedV5RtcError(V5_ERROR_CODE.INVALID_PARAMETER, 'enterRoom needs exactly one of roomId and strRoomId.');
    }
    this.client?.destroy();
    const client = this.createClient({ sdkAppId: params.sdkAppId, userId: params.userId, userSig: params.userSig, mode: params.scene ?? 'rtc', useStringRoomId: stringRoom });
    this.client = client;
    client.on('client-banned', ({ reason }: { reason: string }) => this.fire(V5_EVENT.KICKED_OUT, { reason: reason === 'room-disband' ? 'room_disband' : reason }));
    client.on('peer-join', ({ userId }: { userId: string }) => this.fire(V5_EVENT.REMOTE_USER_ENTER, { userId }));
    client.on('peer-leave', ({ userId }: { userId: string }) => this.fire(V5_EVENT.REMOTE_USER_EXIT, { userId }));
    client.on('connection-state-changed', (payload: unknown) => this.fire(V5_EVENT.CONNECTION_STATE_CHANGED, payload));
    client.on('error', (error: unknown) => this.fire(V5_EVENT.ERROR, toV5Error(error, V5_ERROR_CODE.SERVER_ERROR)));
    try {
      await client.join({ roomId: (stringRoom ? params.strRoomId : params.roomId)!, ...(params.role ? { role: params.role } : {}) });
    } catch (error) {
      throw toV5Error(error, V5_ERROR_CODE.SERVER_ERROR);
    }
  }

  async exitRoom(): Promise<void> {
    try {
      await this.client?.leave();
    } catch (error) {
      throw toV5Error(error, V5_ERROR_CODE.OPERATION_FAILED);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.client?.destroy();
    this.handlers.clear();
  }

  private fire(event: string, payload: unknown): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(payload);
  }
}
