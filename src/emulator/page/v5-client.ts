/**
 * A TRTC instance with trtc-sdk-v5's interface (enterRoom, exitRoom, destroy, on, off), event names and
 * payloads (`kicked-out` { reason: 'kick' | 'banned' | 'room_disband' }, `remote-user-enter` { userId },
 * `remote-user-exit` { userId, reason }, `connection-state-changed` { prevState, state }, `error`), and its
 * errors: an RtcError named after its ERROR_CODE key, with `code` and `extraCode`, converted from the
 * SDK's internal errors as its `RtcError.convertFrom` does. Read from trtc-sdk-v5 5.17.1's trtc.esm.js.
 */
import { retryPause } from './retry-pause.js';
import { sdkMessage } from './v4-client.js';
import { HandlerMap, type Handler } from './handlers.js';
import type { TrtcV5EnterRoomParams } from '../../sdk/v5.js';
import { syncPeers, type BackendMembership, type FaultQueue, type RoomBackend } from './backend.js';
import type { JoinRequest, PeerLeaveReason, RemovalReason } from '../core/room-service.js';

type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED';

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

/** The SDK's internal (v4-style) codes that `RtcError.convertFrom` maps, as its CoreErrorCode numbers them. */
const CORE = Object.freeze({
  INVALID_PARAMETER: 0x1000,
  INVALID_OPERATION: 0x1001,
  NOT_SUPPORTED: 0x1002,
  DEVICE_NOT_FOUND: 0x1003,
  INITIALIZE_FAILED: 0x1004,
  JOIN_ROOM_FAILED: 0x4004,
  DEVICE_AUTO_RECOVER_FAILED: 0x4044,
  NOT_SUPPORTED_H264: 0x4049,
  SERVER_TIMEOUT: 0x4041,
  SWITCH_ROLE_FAILED: 0x404a,
  API_CALL_ABORTED: 0x404d,
  SWITCH_ROOM_FAILED: 0x4050,
  UNKNOWN: 0xffff,
});

/** What `enterRoom()` takes: the same fields the element's v5 adapter fills in. */
export type EmulatedEnterRoomConfig = TrtcV5EnterRoomParams;

const CODE_NAMES = new Map<number, string>(Object.entries(V5_ERROR_CODE).map(([name, code]) => [code, name]));

/**
 * An RtcError as v5 shapes it: `name` is the ERROR_CODE key of `code` (`SERVER_ERROR`), `extraCode` the
 * detail (for a refused join, the room service's own code), `functionName` the API that threw. Unlike
 * v4's, it has no `getCode()`: read `code`.
 */
export class EmulatedV5RtcError extends Error {
  override name: string;
  readonly code: number;
  readonly extraCode: number | undefined;
  readonly functionName: string;
  constructor({
    code,
    extraCode,
    message,
    fnName = '',
  }: {
    code: number;
    extraCode?: number;
    message: string;
    fnName?: string;
  }) {
    super(message);
    this.name = CODE_NAMES.get(code) ?? 'UNKNOWN_ERROR';
    this.code = code;
    this.extraCode = extraCode;
    this.functionName = fnName;
  }
}

const messageOf = (error: unknown) => {
  // The SDK quotes its internal error by `toString()`, which gives the message without the code tag.
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ <[A-Z_]+ 0x[0-9a-f]+>$/, '');
};

/**
 * trtc-sdk-v5's `RtcError.convertFrom`: an internal error becomes INVALID_PARAMETER, INVALID_OPERATION,
 * ENV_NOT_SUPPORTED, DEVICE_ERROR, SERVER_ERROR (a refused join, with the server's code as extraCode),
 * OPERATION_ABORT, UNKNOWN_ERROR, or else OPERATION_FAILED; anything that is no SDK error becomes UNKNOWN_ERROR.
 */
export function convertToV5Error(error: unknown, fnName = ''): EmulatedV5RtcError {
  if (error instanceof EmulatedV5RtcError) return error;
  const getCode = (error as { getCode?: unknown })?.getCode;
  if (typeof getCode !== 'function') {
    return new EmulatedV5RtcError({
      code: V5_ERROR_CODE.UNKNOWN_ERROR,
      fnName,
      message: `'${fnName}' throw unknown exception, error: ${messageOf(error)}.`,
    });
  }
  const core = (getCode as () => number).call(error);
  const getExtraCode = (error as { getExtraCode?: unknown }).getExtraCode;
  const extraCode =
    typeof getExtraCode === 'function'
      ? ((getExtraCode as () => number | undefined).call(error) ?? undefined)
      : undefined;
  const reason = messageOf(error);
  const full = error instanceof Error ? error.message : String(error);
  switch (core) {
    case CORE.INVALID_PARAMETER:
      return new EmulatedV5RtcError({ code: V5_ERROR_CODE.INVALID_PARAMETER, fnName, message: full });
    case CORE.INVALID_OPERATION:
      return new EmulatedV5RtcError({ code: V5_ERROR_CODE.INVALID_OPERATION, fnName, message: full });
    case CORE.NOT_SUPPORTED:
    case CORE.NOT_SUPPORTED_H264:
      return new EmulatedV5RtcError({
        code: V5_ERROR_CODE.ENV_NOT_SUPPORTED,
        fnName,
        message: `the current browser does not support the capability of the function '${fnName}' you are calling: ${reason}`,
      });
    case CORE.DEVICE_NOT_FOUND:
    case CORE.DEVICE_AUTO_RECOVER_FAILED:
    case CORE.INITIALIZE_FAILED:
      return new EmulatedV5RtcError({
        code: V5_ERROR_CODE.DEVICE_ERROR,
        fnName,
        message: `'${fnName}' got device exception, error: ${reason}.`,
      });
    case CORE.JOIN_ROOM_FAILED:
    case CORE.SERVER_TIMEOUT:
    case CORE.SWITCH_ROLE_FAILED:
    case CORE.SWITCH_ROOM_FAILED:
      return new EmulatedV5RtcError({
        code: V5_ERROR_CODE.SERVER_ERROR,
        extraCode,
        fnName,
        message: `'${fnName}' got server error: ${reason}, please check the SDK documentation.`,
      });
    case CORE.API_CALL_ABORTED:
      return new EmulatedV5RtcError({ code: V5_ERROR_CODE.OPERATION_ABORT, fnName, message: `'${fnName}' abort` });
    case CORE.UNKNOWN:
      return new EmulatedV5RtcError({
        code: V5_ERROR_CODE.UNKNOWN_ERROR,
        fnName,
        message: `'${fnName}' throw unknown exception, error: ${reason}.`,
      });
    default:
      return new EmulatedV5RtcError({
        code: V5_ERROR_CODE.OPERATION_FAILED,
        fnName,
        message: `'${fnName}' failed, reason: ${reason}`,
      });
  }
}

/**
 * trtc-sdk-v5's page-wide join guard: one entry per SDKAppID + room + userId for every `live` join, from
 * its start until it fails or the instance leaves. Only a live *audience* join is refused by it (rtc joins
 * skip it: there the server kicks the earlier client instead). Shared by the TRTC instances of one SDK.
 */
export class V5JoinGuard {
  private readonly keys = new Set<string>();

  static key(params: { sdkAppId: number; userId: string; roomId?: number; strRoomId?: string }): string {
    const stringRoom = params.strRoomId !== undefined && !params.roomId;
    return `${params.sdkAppId}_${String(stringRoom ? params.strRoomId : params.roomId)}_${params.userId}_${stringRoom}`;
  }

  refuses(key: string, scene: string, role: string | undefined): boolean {
    return scene !== 'rtc' && role === 'audience' && this.keys.has(key);
  }

  add(key: string, scene: string): void {
    if (scene !== 'rtc') this.keys.add(key);
  }

  delete(key: string, scene: string): void {
    if (scene !== 'rtc') this.keys.delete(key);
  }
}

/** trtc-sdk-v5's wait between signalling connection attempts (its retried `connect`: `timeout: 2e3`). */
export const V5_RECONNECT_INTERVAL_MS = 2000;
/** trtc-sdk-v5's ERROR extraCode when its firewall detector counted 3 failed connections (FIREWALL_RESTRICTION). */
export const V5_FIREWALL_RESTRICTION = 5501;

const STR_ROOM_ID = /^[A-Za-z\d\s!#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

export class EmulatedV5Trtc {
  private readonly handlers = new HandlerMap();
  private membership: BackendMembership | null = null;
  private joining = false;
  /** The guard entry of the current or last join, and its scene. */
  private guarded: { key: string; scene: string } | null = null;
  private connectionState: ConnectionState = 'DISCONNECTED';
  /** The join being resumed after a dropped connection; cancelled by exitRoom(), destroy() or a give-up. */
  private reconnection: { cancelled: boolean } | undefined;
  /** What enterRoom() asked for, for a reconnection. */
  private request: JoinRequest | undefined;
  /** The other users in the room (the SDK's userManager): a repeat enter is dropped, a reconnection syncs it. */
  private readonly peers = new Set<string>();
  /** Users announced while a reconnection joins, to sync the list with once it has. */
  private announced: string[] | null = null;
  /** The SDK's firewall detector: failed signalling connections since the last success; it fires once. */
  private failedConnections = 0;
  private firewallErrorFired = false;
  destroyed = false;

  constructor(
    private readonly backend: RoomBackend,
    protected readonly faults: FaultQueue,
    private readonly guard: V5JoinGuard,
    private readonly onDestroy: (trtc: EmulatedV5Trtc) => void = () => undefined,
  ) {}

  on(event: string, handler: Handler): this {
    this.handlers.add(event, handler);
    return this;
  }

  off(event: string, handler?: Handler): this {
    this.handlers.remove(event, handler);
    return this;
  }

  get handlerCount(): number {
    return this.handlers.count;
  }

  /** In a room, as the room service sees it (or reconnecting to it). */
  get joined(): boolean {
    return this.membership !== null || this.reconnection !== undefined;
  }

  async enterRoom(params: EmulatedEnterRoomConfig): Promise<void> {
    const fail = (code: number, message: string, extraCode?: number) =>
      new EmulatedV5RtcError({ code, extraCode, fnName: 'enterRoom', message });
    if (this.destroyed)
      throw fail(
        V5_ERROR_CODE.INVALID_OPERATION,
        'the TRTC instance is destroyed: create a new one with TRTC.create(). <INVALID_OPERATION 0x1001>',
      );
    if (this.joined || this.joining)
      throw fail(
        V5_ERROR_CODE.INVALID_OPERATION,
        "you are already enterRoom(), cannot repeated call 'enterRoom'.",
        5104,
      );
    // The SDK's own checks of EnterRoomConfig, before anything reaches the network.
    if (typeof params !== 'object' || params === null)
      throw fail(
        V5_ERROR_CODE.INVALID_PARAMETER,
        "'EnterRoomConfig' is a required param when calling enterRoom().",
        5001,
      );
    if (params.roomId) {
      if (typeof params.roomId === 'string')
        throw fail(
          V5_ERROR_CODE.INVALID_PARAMETER,
          "'roomId' must be a number: for a string room use strRoomId.",
          5016,
        );
      if (!(/^[1-9]\d*$/.test(String(params.roomId)) && params.roomId < 4294967295))
        throw fail(V5_ERROR_CODE.INVALID_PARAMETER, "'roomId' must be an integer in [1, 4294967294].", 5013);
    } else if (params.strRoomId) {
      if (!STR_ROOM_ID.test(params.strRoomId))
        throw fail(V5_ERROR_CODE.INVALID_PARAMETER, "'strRoomId' is not a valid string room id.", 5012);
    } else throw fail(V5_ERROR_CODE.INVALID_PARAMETER, 'enterRoom needs roomId or strRoomId.', 5015);
    for (const [key, type] of [
      ['sdkAppId', 'number'],
      ['userId', 'string'],
      ['userSig', 'string'],
    ] as const) {
      if (params[key] === undefined || params[key] === null || params[key] === '')
        throw fail(V5_ERROR_CODE.INVALID_PARAMETER, `'${key}' is a required param when calling enterRoom().`, 5001);
      if (typeof params[key] !== type)
        throw fail(V5_ERROR_CODE.INVALID_PARAMETER, `'${key}' must be of type ${type} when calling enterRoom().`, 5002);
    }
    const scene = params.scene ?? 'rtc';
    const key = V5JoinGuard.key(params);
    // In the words of the SDK's published build (trtc.js, its package's main), which adds a documentation link.
    if (this.guard.refuses(key, scene, params.role))
      throw fail(
        V5_ERROR_CODE.INVALID_OPERATION,
        'please avoid repeated join. \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/index.html\n <INVALID_OPERATION 0x1001>',
      );
    this.guard.add(key, scene);
    this.guarded = { key, scene };

    this.joining = true;
    this.setConnectionState('CONNECTING');
    try {
      await this.faults.apply('join', (message) =>
        fail(
          V5_ERROR_CODE.SERVER_ERROR,
          `'enterRoom' got server error: ${message}, please check the SDK documentation.`,
        ),
      );
      if (this.destroyed) throw fail(V5_ERROR_CODE.OPERATION_ABORT, "'enterRoom' abort");
      const stringRoom = !params.roomId;
      const request = {
        sdkAppId: params.sdkAppId,
        roomId: stringRoom ? params.strRoomId! : params.roomId!,
        userId: params.userId,
        userSig: params.userSig,
        mode: scene === 'live' ? ('live' as const) : ('rtc' as const),
        role: params.role === 'audience' ? ('audience' as const) : ('anchor' as const),
      };
      const membership = await this.backend.join(request, this.sink(), (error) => this.lost(error));
      if (this.destroyed) {
        await membership.leave();
        throw fail(V5_ERROR_CODE.OPERATION_ABORT, "'enterRoom' abort");
      }
      this.membership = membership;
      this.request = request;
      this.failedConnections = 0;
      this.setConnectionState('CONNECTED');
    } catch (error) {
      this.guard.delete(key, scene);
      this.setConnectionState('DISCONNECTED');
      throw convertToV5Error(error, 'enterRoom');
    } finally {
      this.joining = false;
    }
  }

  /** Leaves the room if in one; resolves otherwise, as the SDK's exitRoom does. */
  async exitRoom(): Promise<void> {
    await this.faults.apply(
      'leave',
      (message) =>
        new EmulatedV5RtcError({
          code: V5_ERROR_CODE.OPERATION_FAILED,
          fnName: 'exitRoom',
          message: `'exitRoom' failed, reason: ${message}`,
        }),
    );
    await this.leaveRoom();
  }

  /**
   * Releases the instance and its handlers. Still in a room, it leaves it (the real SDK throws
   * INVALID_OPERATION "please call leave() before destroy()" instead: docs/emulator-rules.md).
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.handlers.clear();
    // As the SDK's destroy(): it leaves without waiting, and a destroyed instance has no listener left to tell.
    void this.leaveRoom().catch(() => undefined);
    this.onDestroy(this);
  }

  /** Fires the SDK's `error` event (an unrecoverable failure, after which the SDK has left), for fault-injection tests. */
  failWith(message = 'Injected SDK error.'): void {
    void this.leaveRoom().finally(() =>
      this.fire(
        V5_EVENT.ERROR,
        new EmulatedV5RtcError({ code: V5_ERROR_CODE.OPERATION_FAILED, message: `'' failed, reason: ${message}` }),
      ),
    );
  }

  /** The SDK's `_exitRoom`: only a joined instance leaves (and clears its join guard entry). */
  private async leaveRoom(): Promise<void> {
    const membership = this.membership;
    if (this.reconnection) {
      // Leaving while reconnecting: the SDK closes its signal channel; the server drops the member at its timeout.
      this.reconnection.cancelled = true;
      this.reconnection = undefined;
      this.peers.clear();
      if (this.guarded) this.guard.delete(this.guarded.key, this.guarded.scene);
      this.setConnectionState('DISCONNECTED');
    }
    if (!membership) return;
    this.membership = null;
    this.peers.clear();
    if (this.guarded) this.guard.delete(this.guarded.key, this.guarded.scene);
    await membership.leave();
    this.setConnectionState('DISCONNECTED');
  }

  private sink() {
    // Server pushes arrive in tasks of their own, as network messages do: after a pending join settles.
    const later = (fn: () => void) => setTimeout(() => !this.destroyed && fn());
    return {
      removed: (reason: RemovalReason, _message: string) => {
        this.membership = null;
        this.peers.clear();
        // The SDK exits the room (clearing its join guard entry), then fires KICKED_OUT.
        if (this.guarded) this.guard.delete(this.guarded.key, this.guarded.scene);
        later(() => {
          this.setConnectionState('DISCONNECTED');
          this.fire(V5_EVENT.KICKED_OUT, { reason: reason === 'room-disband' ? 'room_disband' : reason });
        });
      },
      peerJoin: (userId: string) => {
        if (this.announced) this.announced.push(userId);
        else later(() => this.peerEntered(userId));
      },
      peerLeave: (userId: string, reason: PeerLeaveReason) => {
        if (this.announced) this.announced = this.announced.filter((other) => other !== userId);
        else
          later(() => {
            this.peers.delete(userId);
            this.fire(V5_EVENT.REMOTE_USER_EXIT, { userId, reason });
          });
      },
    };
  }

  /** The users announced during a reconnection's join, once. */
  private takeAnnounced(): string[] {
    const announced = this.announced ?? [];
    this.announced = null;
    return announced;
  }

  private peerEntered(userId: string): void {
    if (this.peers.has(userId)) return;
    this.peers.add(userId);
    this.fire(V5_EVENT.REMOTE_USER_ENTER, { userId });
  }

  /**
   * The connection to the service is gone: reconnect as trtc-sdk-v5 5.17.1 does (trtc.esm.js). Its
   * SignalChannel.onclose emits DISCONNECTED and starts its reconnection; `reconnect()` calls the retried
   * `connect()` (the `Wt({ settings: { retries: 1 / 0, timeout: 2e3 } })` decorator: no end, 2 s apart), which
   * emits CONNECTING with `isReconnecting`, then CONNECTED: there is no RECONNECTING state. A try whose socket
   * fails goes back to DISCONNECTED (the socket is bound to SignalChannel.onerror), the next try to CONNECTING.
   * Each failed connection counts in its firewall detector (`qo.increaseTimeoutCount`), which at 3 fires ERROR
   * OPERATION_FAILED with extraCode 5501 once, and the SDK goes on retrying. Once connected, its `reconnect` command
   * resumes the session (`syncUserList` then: who left meanwhile exits, who came enters); a session the server no
   * longer has makes it join again (`reJoin`), and a refused rejoin exits the room and fires ERROR
   * (JOIN_ROOM_FAILED, converted: SERVER_ERROR).
   */
  private lost(_error: Error): void {
    if (!this.membership || this.reconnection) return;
    const lost = this.membership;
    this.membership = null;
    const reconnection = (this.reconnection = { cancelled: false });
    this.setConnectionState('DISCONNECTED');
    void this.reconnect(reconnection, lost);
  }

  private async reconnect(reconnection: { cancelled: boolean }, lost: BackendMembership): Promise<void> {
    const request = this.request!;
    const stopped = () => reconnection.cancelled || this.destroyed;
    for (;;) {
      if (stopped()) return;
      // Each try is a call of the retried connect(), which emits CONNECTING (trtc.esm.js, SignalChannel.connect).
      this.setConnectionState('CONNECTING');
      this.announced = [];
      try {
        const membership = await this.backend.join(
          request,
          this.sink(),
          (error) => {
            this.reconnection = undefined;
            this.lost(error);
          },
          lost,
        );
        if (stopped()) {
          // Nobody waits for this reconnection any more: its membership is given back.
          void membership.leave().catch(() => undefined);
          return;
        }
        this.membership = membership;
        this.reconnection = undefined;
        this.failedConnections = 0;
        this.setConnectionState('CONNECTED');
        // syncUserList: who left meanwhile exits, who came enters.
        const exited = (other: string) => this.fire(V5_EVENT.REMOTE_USER_EXIT, { userId: other, reason: 0 });
        syncPeers(this.peers, this.takeAnnounced(), exited, (other) => this.peerEntered(other));
        return;
      } catch (error) {
        this.announced = null;
        if (stopped()) return;
        // The service answered and refused (it has a code of its own for it): the SDK's reJoin failed.
        if ((error as { extraCode?: unknown })?.extraCode !== undefined) {
          this.reconnection = undefined;
          this.peers.clear();
          if (this.guarded) this.guard.delete(this.guarded.key, this.guarded.scene);
          // The service was reached: the retried connect() got through (CONNECTED) and the reconnect command was
          // refused, so Room.reJoin closed the signal channel and connected it again (signalChannel.close(),
          // connect(): DISCONNECTED, CONNECTING, CONNECTED) before its join was refused and it exited the room.
          this.setConnectionState('CONNECTED');
          this.setConnectionState('DISCONNECTED');
          this.setConnectionState('CONNECTING');
          this.setConnectionState('CONNECTED');
          this.setConnectionState('DISCONNECTED');
          const roomId = request.roomId;
          this.fire(
            V5_EVENT.ERROR,
            convertToV5Error(
              // Its message as the SDK's builder gives it, with the pointer to the documentation (trtc.esm.js: the
              // message function ends it with "Refer to: " and the page).
              Object.assign(
                new Error(sdkMessage(`reJoin room: ${String(roomId)} failed, please check your network.`)),
                {
                  getCode: () => CORE.JOIN_ROOM_FAILED,
                },
              ),
            ),
          );
          return;
        }
        // The connection could not be made. The try's socket is bound to SignalChannel.onerror (connectWS →
        // bindSocket), which emits DISCONNECTED; the firewall detector counts it; the SDK tries again in 2 s.
        this.setConnectionState('DISCONNECTED');
        this.failedConnections++;
        if (this.failedConnections >= 3 && !this.firewallErrorFired) {
          this.firewallErrorFired = true;
          this.fire(
            V5_EVENT.ERROR,
            new EmulatedV5RtcError({
              code: V5_ERROR_CODE.OPERATION_FAILED,
              extraCode: V5_FIREWALL_RESTRICTION,
              message: 'media connection failure due to firewall restrictions, please try to change your network.',
            }),
          );
        }
      }
      await retryPause(V5_RECONNECT_INTERVAL_MS);
    }
  }

  private setConnectionState(state: ConnectionState): void {
    const prevState = this.connectionState;
    if (prevState === state) return;
    this.connectionState = state;
    this.fire(V5_EVENT.CONNECTION_STATE_CHANGED, { prevState, state });
  }

  protected fire(event: string, payload: unknown): void {
    this.handlers.fire(event, payload);
  }
}
