import type { RoomConfig } from '../config.js';
import { INVALID_OPERATION, JOIN_ROOM_FAILED, SIGNAL_CHANNEL_RECONNECTION_FAILED } from './v4-error-codes.js';
import {
  messageOf,
  networkQualityOf,
  sdkCodeOf,
  type ConnectionHandlers,
  type MediaHandlers,
  type RoomConnection,
  type SdkAdapter,
  type SdkErrorNext,
} from './adapter.js';
import { connectV4Media, type TrtcV4CreateStream, type TrtcV4MediaClient } from './media-v4.js';

/** The part of trtc-js-sdk v4's `Client` the element uses (see the SDK's index.d.ts). */
export interface TrtcV4Client extends Partial<Pick<TrtcV4MediaClient, 'publish' | 'unpublish'>> {
  join(options: { roomId: number | string; role?: 'anchor' | 'audience' }): Promise<void>;
  leave(): Promise<void>;
  /** Routes the client's signalling through a proxy; before `join()`. */
  setProxyServer?(proxy: string | object): void;
  destroy?(): void;
  on(event: string, handler: (payload: any) => void): void;
  off(event: string, handler: (payload: any) => void): void;
}

/** The part of trtc-js-sdk v4's default export (`TRTC`) the element uses. */
export interface TrtcV4Namespace {
  createClient(config: {
    sdkAppId: number;
    userId: string;
    userSig: string;
    mode: 'rtc' | 'live';
    useStringRoomId?: boolean;
    /** The SDK's own "click to play" dialog when autoplay fails; true unless told (since 4.11.9). */
    enableAutoPlayDialog?: boolean;
  }): TrtcV4Client;
  /** Captures camera and microphone (src/sdk/media-v4.ts); an SDK object without it cannot publish. */
  createStream?: TrtcV4CreateStream;
}

export function isV4Namespace(sdk: unknown): sdk is TrtcV4Namespace {
  return (
    (typeof sdk === 'object' || typeof sdk === 'function') &&
    sdk !== null &&
    typeof (sdk as { createClient?: unknown }).createClient === 'function'
  );
}

export class V4Adapter implements SdkAdapter {
  readonly generation = 'v4';

  constructor(private readonly sdk: TrtcV4Namespace) {}

  connect(config: RoomConfig, handlers: ConnectionHandlers & MediaHandlers): RoomConnection {
    const stringRoom = typeof config.roomId === 'string';
    const client = this.sdk.createClient({
      sdkAppId: config.sdkAppId,
      userId: config.userId,
      userSig: config.userSig,
      mode: config.mode,
      ...(stringRoom ? { useStringRoomId: true } : {}),
      ...(handlers.sdkAutoplayDialog() ? {} : { enableAutoPlayDialog: false }),
    });
    const listeners: Record<string, (payload: any) => void> = {
      'client-banned': (payload) => handlers.onBanned(payload),
      'peer-join': (payload) => handlers.onPeerJoin(String(payload?.userId ?? '')),
      'peer-leave': (payload) => handlers.onPeerLeave(String(payload?.userId ?? '')),
      'connection-state-changed': (payload) =>
        handlers.onConnectionStateChange(String(payload?.state ?? ''), String(payload?.prevState ?? '')),
      error: (error) => handlers.onError(error, v4ErrorNext(error)),
      'network-quality': (payload) => handlers.onNetworkQuality(networkQualityOf(payload)),
    };
    for (const [event, listener] of Object.entries(listeners)) client.on(event, listener);
    if (config.proxy !== undefined) client.setProxyServer!(config.proxy);

    const media = connectV4Media(
      this.sdk.createStream?.bind(this.sdk),
      client as TrtcV4Client & TrtcV4MediaClient,
      config.userId,
      handlers,
    );

    let destroyed = false;
    return {
      client,
      media,
      join: () =>
        client
          .join({ roomId: config.roomId, ...(config.role ? { role: config.role } : {}) })
          .catch((error: unknown) => {
            throw samePageRefusal(error, config) ?? error;
          }),
      leave: () => client.leave(),
      // The SDK's client-banned handler only resets the client: its page-wide join guard for this
      // SDKAppID + room + userId stays set, and every later join() in this page would fail with 4097, until
      // leave() (which resolves on a banned client) clears it.
      afterBan: () => client.leave(),
      destroy: () => {
        if (destroyed) return;
        destroyed = true;
        media.release();
        for (const [event, listener] of Object.entries(listeners)) client.off(event, listener);
        client.destroy?.();
      },
    };
  }
}

/**
 * What trtc-js-sdk does after its client's `error` event (trtc.esm.js 4.15, docs/sdk-errors.md). Two emitters reset
 * the client (`Client.reset()`: out of the room) before they fire, and both are the end of a reconnection:
 * the signal channel's 30th failed attempt (`SignalChannel.reconnect`, SIGNAL_CHANNEL_RECONNECTION_FAILED 0x4006)
 * and a failed rejoin after a refused reconnection (`Client.reJoin`, JOIN_ROOM_FAILED 0x4004). The others, an
 * uplink's or a downlink's failed reconnection (0x4007, 0x4008: that connection is closed) and any other media
 * connection error, leave the client in the room.
 */
export function v4ErrorNext(error: unknown): SdkErrorNext {
  const code = sdkCodeOf(error);
  return code === SIGNAL_CHANNEL_RECONNECTION_FAILED || code === JOIN_ROOM_FAILED ? 'connection-lost' : 'recoverable';
}

/**
 * trtc-js-sdk lets one client per page be in a room as a given user (per SDKAppID + room + userId) and
 * refuses another's join() with 4097 "[userId] is calling client.join api or has already joined room,
 * please avoid repeated join.": said here in the page's terms, with the SDK's code kept and its error as `cause`.
 */
function samePageRefusal(error: unknown, config: RoomConfig): Error | undefined {
  if (sdkCodeOf(error) !== INVALID_OPERATION || !/repeated join/.test(messageOf(error, ''))) return undefined;
  const room = typeof config.roomId === 'string' ? `string room "${config.roomId}"` : `room ${config.roomId}`;
  return Object.assign(
    new Error(
      `another client in this page is already in ${room} as user "${config.userId}": trtc-js-sdk lets one client per page in at a time; leave with that one first.`,
      {
        cause: error,
      },
    ),
    { code: INVALID_OPERATION },
  );
}
