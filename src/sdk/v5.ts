import type { RoomConfig } from '../config.js';
import {
  networkQualityOf,
  sdkCodeOf,
  type ConnectionHandlers,
  type MediaHandlers,
  type RoomConnection,
  type SdkAdapter,
  type SdkErrorNext,
} from './adapter.js';
import {
  connectV5Media,
  V5_AUDIO_VOLUME_EVENT,
  V5_MEDIA_EVENTS,
  type TrtcV5MediaEventNames,
  type TrtcV5MediaInstance,
} from './media-v5.js';

/** What trtc-sdk-v5's `enterRoom()` takes, as far as the element fills it in (see the SDK's index.d.ts). */
export interface TrtcV5EnterRoomParams {
  sdkAppId: number;
  userId: string;
  userSig: string;
  /** A numeric room. */
  roomId?: number;
  /** A string room. */
  strRoomId?: string;
  scene?: 'rtc' | 'live';
  role?: 'anchor' | 'audience';
  /** Where the signalling goes instead of Tencent's servers: `{ websocketProxy, loggerProxy, … }` or a URL. */
  proxy?: string | object;
  /** The SDK's own "click to play" dialog when autoplay fails; true unless told (enterRoom reads it, not create()). */
  enableAutoPlayDialog?: boolean;
}

/** The part of a trtc-sdk-v5 `TRTC` instance (from `TRTC.create()`) the element uses. */
export interface TrtcV5Instance extends Omit<TrtcV5MediaInstance, 'on' | 'off'> {
  enterRoom(params: TrtcV5EnterRoomParams): Promise<void>;
  exitRoom(): Promise<void>;
  destroy(): void;
  on(event: string, handler: (...args: any[]) => void): unknown;
  off(event: string, handler: (...args: any[]) => void): unknown;
}

/** The event names the element listens to, as `TRTC.EVENT` holds them. */
export interface TrtcV5EventNames extends Partial<TrtcV5MediaEventNames> {
  ERROR: string;
  KICKED_OUT: string;
  REMOTE_USER_ENTER: string;
  REMOTE_USER_EXIT: string;
  CONNECTION_STATE_CHANGED: string;
  AUDIO_VOLUME?: string;
  NETWORK_QUALITY?: string;
}

/** The part of trtc-sdk-v5's default export (the `TRTC` class) the element uses. */
export interface TrtcV5Sdk {
  create(): TrtcV5Instance;
  EVENT: TrtcV5EventNames;
  /** Every instance's remote audio on that speaker (index.d.ts: `static setCurrentSpeaker(speakerId)`). */
  setCurrentSpeaker?(speakerId: string): Promise<void>;
}

/** The values of `TRTC.EVENT` in trtc-sdk-v5's index.d.ts, for an SDK object whose EVENT lacks one. */
const DOCUMENTED_EVENTS: Required<TrtcV5EventNames> = {
  ...V5_MEDIA_EVENTS,
  ERROR: 'error',
  KICKED_OUT: 'kicked-out',
  REMOTE_USER_ENTER: 'remote-user-enter',
  REMOTE_USER_EXIT: 'remote-user-exit',
  CONNECTION_STATE_CHANGED: 'connection-state-changed',
  AUDIO_VOLUME: V5_AUDIO_VOLUME_EVENT,
  NETWORK_QUALITY: 'network-quality',
};

/** v5 is the class with a static `create()` and `EVENT` (v4 offers `createClient()` instead). */
export function isV5Sdk(sdk: unknown): sdk is TrtcV5Sdk {
  if ((typeof sdk !== 'object' && typeof sdk !== 'function') || sdk === null) return false;
  const { create, EVENT } = sdk as { create?: unknown; EVENT?: unknown };
  return typeof create === 'function' && typeof EVENT === 'object' && EVENT !== null;
}

export class V5Adapter implements SdkAdapter {
  readonly generation = 'v5';

  constructor(private readonly sdk: TrtcV5Sdk) {}

  connect(config: RoomConfig, handlers: ConnectionHandlers & MediaHandlers): RoomConnection {
    const trtc = this.sdk.create();
    const name = (key: keyof Required<TrtcV5EventNames>) => {
      const value: unknown = this.sdk.EVENT[key];
      return typeof value === 'string' && value ? value : DOCUMENTED_EVENTS[key];
    };
    // The signalling's state, as the SDK last reported it: an error while it is down ends a reconnection.
    let connectionState = '';
    const listeners: Array<[string, (payload: any) => void]> = [
      // The SDK has already exited the room when it fires KICKED_OUT: the session calls no leave() after it.
      [name('KICKED_OUT'), (payload) => handlers.onBanned(payload)],
      [name('REMOTE_USER_ENTER'), (payload) => handlers.onPeerJoin(String(payload?.userId ?? ''))],
      [name('REMOTE_USER_EXIT'), (payload) => handlers.onPeerLeave(String(payload?.userId ?? ''))],
      [
        name('CONNECTION_STATE_CHANGED'),
        (payload) => {
          connectionState = String(payload?.state ?? '');
          handlers.onConnectionStateChange(connectionState, String(payload?.prevState ?? ''));
        },
      ],
      [name('ERROR'), (error) => handlers.onError(error, v5ErrorNext(error, connectionState))],
      [name('NETWORK_QUALITY'), (payload) => handlers.onNetworkQuality(networkQualityOf(payload))],
    ];
    for (const [event, listener] of listeners) trtc.on(event, listener);

    const params: TrtcV5EnterRoomParams = {
      sdkAppId: config.sdkAppId,
      userId: config.userId,
      userSig: config.userSig,
      // 123 and "123" are different rooms: a string room goes in strRoomId, never in roomId.
      ...(typeof config.roomId === 'string' ? { strRoomId: config.roomId } : { roomId: config.roomId }),
      scene: config.mode,
      ...(config.role ? { role: config.role } : {}),
      ...(config.proxy !== undefined ? { proxy: config.proxy } : {}),
      // trtc.esm.js: enterRoom sets the room's enableAutoPlayDialog from its own params (default true), over create()'s.
      ...(handlers.sdkAutoplayDialog() ? {} : { enableAutoPlayDialog: false }),
    };

    const media = connectV5Media(trtc, name, handlers, config.userId, this.sdk.setCurrentSpeaker?.bind(this.sdk));

    let destroyed = false;
    return {
      client: trtc,
      media,
      join: () => trtc.enterRoom(params),
      leave: () => trtc.exitRoom(),
      destroy: () => {
        if (destroyed) return;
        destroyed = true;
        media.release();
        for (const [event, listener] of listeners) trtc.off(event, listener);
        trtc.destroy();
      },
    };
  }
}

/**
 * The `extraCode`s of the trtc-sdk-v5 ERROR events the SDK fires and carries on after (trtc.esm.js 5.x, its TRTC
 * class, docs/sdk-errors.md): 5501 firewall restriction (`firewall-restriction`: UDP blocked, the SDK goes on over
 * TURN/TCP), 5507 and 5508 a remote video's or audio's decoding failed (`onDecodeFailed`, `decode-failed`),
 * 5308 and 5309 a camera or microphone that stopped and could not be recaptured (the local tracks' event "5").
 */
const V5_RECOVERABLE_EXTRA_CODES = new Set([5501, 5507, 5508, 5308, 5309]);
/** trtc-sdk-v5's ERROR_CODE.SERVER_ERROR: on the ERROR event, only a failed rejoin (`Room.reJoin`) gives it. */
const V5_SERVER_ERROR = 5400;
/** The internal codes of a given-up reconnection (JOIN_ROOM_FAILED, SIGNAL_CHANNEL_RECONNECTION_FAILED, UPLINK_…, DOWNLINK_…). */
const V5_RECONNECTION_FAILURES = new Set([0x4004, 0x4006, 0x4007, 0x4008]);

/**
 * What trtc-sdk-v5 does after its ERROR event. Every error of its room (`Room`'s `error`: a failed rejoin, an uplink
 * or downlink that failed to reconnect) reaches the app through `TRTC._listenEvents`, which calls `_exitRoom()`
 * first: fatal. Those are a given-up reconnection (`connection-lost`) when the RtcError says so (SERVER_ERROR, or an
 * `originError` with a reconnection failure's code) or when the signalling was down as it came. The ERROR events
 * of V5_RECOVERABLE_EXTRA_CODES are fired without leaving.
 */
export function v5ErrorNext(error: unknown, connectionState: string): SdkErrorNext {
  const { extraCode, originError } = (error ?? {}) as { extraCode?: unknown; originError?: unknown };
  if (typeof extraCode === 'number' && V5_RECOVERABLE_EXTRA_CODES.has(extraCode)) return 'recoverable';
  const originCode = sdkCodeOf(originError);
  if (
    sdkCodeOf(error) === V5_SERVER_ERROR ||
    (originCode !== undefined && V5_RECONNECTION_FAILURES.has(originCode)) ||
    (connectionState !== '' && connectionState !== 'CONNECTED')
  )
    return 'connection-lost';
  return 'fatal';
}
