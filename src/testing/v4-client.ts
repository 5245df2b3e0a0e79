/**
 * An SDK client with trtc-js-sdk v4's interface (join, leave, destroy, on, off) and event payloads
 * (`client-banned` { reason, message }, `peer-join` / `peer-leave` { userId },
 * `connection-state-changed` { prevState, state }, `error` RtcError), over any RoomBackend.
 */
import type { BackendMembership, FaultQueue, RoomBackend } from './backend.js';
import type { RemovalReason } from './room-service.js';

type Handler = (payload: any) => void;
type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED';

export interface EmulatedClientConfig {
  sdkAppId: number;
  userId: string;
  userSig: string;
  mode?: 'rtc' | 'live';
  useStringRoomId?: boolean;
}

/** An error shaped like the SDK's RtcError. */
export class EmulatedRtcError extends Error {
  override name = 'RtcError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
  getCode(): number {
    return this.code;
  }
}

export const INVALID_PARAMETER = 0x1000;
export const INVALID_OPERATION = 0x1001;
export const JOIN_ROOM_FAILED = 0x4004;
export const LEAVE_ROOM_FAILED = 0x4005;
export const SERVER_CONNECTION_LOST = 0x4009;

export class EmulatedV4Client {
  private readonly handlers = new Map<string, Set<Handler>>();
  private membership: BackendMembership | null = null;
  private joining = false;
  private connectionState: ConnectionState = 'DISCONNECTED';
  destroyed = false;

  constructor(
    readonly config: EmulatedClientConfig,
    private readonly backend: RoomBackend,
    private readonly faults: FaultQueue,
    private readonly onDestroy: (client: EmulatedV4Client) => void,
  ) {}

  on(event: string, handler: Handler): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
  }

  off(event: string, handler?: Handler): void {
    if (event === '*') this.handlers.clear();
    else if (handler) this.handlers.get(event)?.delete(handler);
    else this.handlers.delete(event);
  }

  /** How many handlers are registered, for leak checks. */
  get handlerCount(): number {
    let count = 0;
    for (const set of this.handlers.values()) count += set.size;
    return count;
  }

  get joined(): boolean {
    return this.membership !== null;
  }

  async join(options: { roomId: number | string; role?: 'anchor' | 'audience' }): Promise<void> {
    if (this.destroyed) throw new EmulatedRtcError(INVALID_OPERATION, 'The client was destroyed.');
    if (this.joining || this.membership) throw new EmulatedRtcError(INVALID_OPERATION, 'The client is already in a room or joining one.');
    const stringRoom = this.config.useStringRoomId === true;
    const roomId = options?.roomId;
    if (stringRoom ? typeof roomId !== 'string' : typeof roomId !== 'number') {
      throw new EmulatedRtcError(INVALID_PARAMETER, `roomId must be a ${stringRoom ? 'string (useStringRoomId is set)' : 'number (useStringRoomId is not set)'}.`);
    }
    this.joining = true;
    this.setConnectionState('CONNECTING');
    try {
      await this.faults.apply('join', (message) => new EmulatedRtcError(JOIN_ROOM_FAILED, message));
      if (this.destroyed) throw new EmulatedRtcError(JOIN_ROOM_FAILED, 'The client was destroyed while joining.');
      const { sdkAppId, userId, userSig, mode } = this.config;
      const membership = await this.backend.join({ sdkAppId, roomId, userId, userSig, mode, role: options.role }, this.sink(), (error) => this.lost(error));
      if (this.destroyed) {
        await membership.leave();
        throw new EmulatedRtcError(JOIN_ROOM_FAILED, 'The client was destroyed while joining.');
      }
      this.membership = membership;
      this.setConnectionState('CONNECTED');
    } catch (error) {
      this.setConnectionState('DISCONNECTED');
      throw error;
    } finally {
      this.joining = false;
    }
  }

  async leave(): Promise<void> {
    await this.faults.apply('leave', (message) => new EmulatedRtcError(LEAVE_ROOM_FAILED, message));
    const membership = this.membership;
    this.membership = null;
    if (membership) await membership.leave();
    this.setConnectionState('DISCONNECTED');
  }

  /** Releases everything; a client still in a room is taken out of it. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const membership = this.membership;
    this.membership = null;
    if (membership) void membership.leave().catch(() => undefined);
    this.handlers.clear();
    this.onDestroy(this);
  }

  /** Fires an SDK `error` event (an unrecoverable failure), for fault-injection tests. */
  failWith(code = SERVER_CONNECTION_LOST, message = 'Injected SDK error.'): void {
    this.fire('error', new EmulatedRtcError(code, message));
  }

  private sink() {
    // Server pushes arrive in tasks of their own, as network messages do: after a pending join settles.
    const later = (fn: () => void) => setTimeout(() => !this.destroyed && fn());
    return {
      removed: (reason: RemovalReason, message: string) => {
        this.membership = null;
        later(() => {
          this.setConnectionState('DISCONNECTED');
          this.fire('client-banned', { reason, message });
        });
      },
      peerJoin: (userId: string) => later(() => this.fire('peer-join', { userId })),
      peerLeave: (userId: string) => later(() => this.fire('peer-leave', { userId })),
    };
  }

  private lost(error: Error): void {
    if (!this.membership && !this.joining) return;
    this.membership = null;
    this.setConnectionState('DISCONNECTED');
    this.fire('error', new EmulatedRtcError(SERVER_CONNECTION_LOST, error.message));
  }

  private setConnectionState(state: ConnectionState): void {
    const prevState = this.connectionState;
    if (prevState === state) return;
    this.connectionState = state;
    this.fire('connection-state-changed', { prevState, state });
  }

  protected fire(event: string, payload: unknown): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(payload);
  }
}
