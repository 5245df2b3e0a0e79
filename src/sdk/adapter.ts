import type { RoomConfig } from '../config.js';
import type { NetworkQualityDetail, NetworkQualityLevel } from '../events.js';

/** What the element hears from a connection, already in its own words. */
export interface ConnectionHandlers {
  /** The user is already out of the room; the payload is whatever the SDK gave. */
  onBanned(payload: unknown): void;
  onPeerJoin(userId: string): void;
  onPeerLeave(userId: string): void;
  onConnectionStateChange(state: string, prevState: string): void;
  /**
   * An SDK `error` event, with what the SDK does next (read by the adapter from the SDK's code, see
   * docs/sdk-errors.md): `fatal`, it is out of the room; `connection-lost`, it gave up reconnecting and is out of
   * the room; `recoverable`, it carries on in the room.
   */
  onError(error: unknown, next: SdkErrorNext): void;
  /** The SDK's network quality of the local user (every 2 s while in the room). */
  onNetworkQuality(quality: NetworkQuality): void;
}

/** What the SDK does after an `error` event: leaves the room (fatal, connection-lost) or carries on. */
export type SdkErrorNext = 'fatal' | 'connection-lost' | 'recoverable';

/** The local user's network quality, as both SDKs give it (the event's detail without the userId). */
export type NetworkQuality = Omit<NetworkQualityDetail, 'userId'>;

/**
 * The SDKs' `network-quality` payload, the same fields in both generations (uplinkNetworkQuality,
 * downlinkNetworkQuality, uplinkRTT, uplinkLoss, downlinkRTT, downlinkLoss: trtc-js-sdk's NetworkQuality.start,
 * trtc-sdk-v5's TRTC `network-quality` listener), in the element's words. The level's scale is both SDKs':
 * trtc-js-sdk's `getNetworkQuality(loss, rtt)` gives 1 to 5 (5 over 50 % loss or 500 ms, 4 over 30 % or 350 ms,
 * 3 over 20 % or 200 ms, 2 over 10 % or 100 ms), 6 for a disconnected connection and 0 before any measure;
 * trtc-sdk-v5's NetworkQualityValue names them UNKNOWN … DISCONNECTED.
 */
export function networkQualityOf(payload: any): NetworkQuality {
  const level = (value: unknown): NetworkQualityLevel =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6
      ? (value as NetworkQualityLevel)
      : 0;
  const amount = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);
  return {
    uplink: level(payload?.uplinkNetworkQuality),
    downlink: level(payload?.downlinkNetworkQuality),
    uplinkRtt: amount(payload?.uplinkRTT),
    uplinkLoss: amount(payload?.uplinkLoss),
    downlinkRtt: amount(payload?.downlinkRTT),
    downlinkLoss: amount(payload?.downlinkLoss),
  };
}

/** A local device the element captures and publishes; `screen` is a screen share (getDisplayMedia, through the SDK). */
export type LocalDevice = 'camera' | 'microphone' | 'screen';

/** What a remote user publishes that others can use now (published and not muted); `screen`: a screen share. */
export interface RemoteMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** What the element hears about media, in its own words (src/media/ handles it). */
export interface MediaHandlers {
  /** A remote user's media as the others can use it now: published and not muted. */
  onRemoteMedia(userId: string, media: RemoteMedia): void;
  /** The browser refused to play remote media until the user interacts with the page. */
  onAutoplayBlocked(): void;
  /**
   * Everything the browser refused plays now, resumed by the SDK itself (trtc-sdk-v5 on the next click anywhere,
   * either SDK's own dialog) or by `resume()`.
   */
  onAutoplayResumed(): void;
  /** The SDK refused a publish after the capture started (trtc-sdk-v5's PUBLISH_STATE_CHANGED with an error). */
  onPublishFailed(error: unknown, device: LocalDevice): void;
  /** The container a remote user's video plays in (`screen`: their screen share's). */
  viewFor(userId: string, screen?: boolean): HTMLElement;
  /**
   * The local screen share ended by itself (the browser's own "Stop sharing": the track's `ended`; v4's
   * `screen-sharing-stopped`, v5's SCREEN_SHARE_STOPPED).
   */
  onScreenEnded(): void;
  /**
   * The SDK's volume evaluation (after `watchVolume()`): each user's volume, 0 to 100, the local user under their
   * own userId (trtc-sdk-v5 says `''` for them; the adapter says the userId).
   */
  onVolumes(volumes: ReadonlyArray<{ userId: string; volume: number }>): void;
  /**
   * Asked when the client is made: whether the SDK's own autoplay dialog stays on (`enableAutoPlayDialog`).
   * Off while the element shows its own prompt (`controls`); on otherwise, as before.
   */
  sdkAutoplayDialog(): boolean;
}

/** A capture that failed: `name` is the DOMException's (`NotAllowedError`, `NotFoundError`, …), read from the SDK's error. */
export class DeviceError extends Error {
  constructor(
    readonly device: LocalDevice,
    readonly domName: string,
    readonly sdkError: unknown,
  ) {
    super(messageOf(sdkError, domName));
  }
}

/** One connection's media, through the SDK's own calls. One call at a time (src/media/ serialises them). */
export interface ConnectionMedia {
  /**
   * Captures the device (`deviceId`: that one, exactly; `''`: the system default; the camera's preview plays in
   * `view`; `screen` opens the browser's picker and takes no deviceId). Rejects with a DeviceError. Published once `publish()` is called in the room.
   */
  startLocal(device: LocalDevice, view: HTMLElement | null, deviceId: string): Promise<void>;
  /**
   * Moves a captured device to another one (exactly `deviceId`) through the SDK's own switch, the other device
   * untouched; in the room the new track is published in place of the old (after `publish()`). Rejects with a
   * DeviceError; the SDK then goes back to the device it had.
   */
  switchDevice?(device: LocalDevice, deviceId: string): Promise<void>;
  /** The captured track of `device`, if any (for the device it is on, and whether it ended). */
  track?(device: LocalDevice): MediaStreamTrack | null | undefined;
  /** Plays all remote audio, now and later, on the speaker `deviceId` (`''`: the default). Rejects with the browser's error. */
  setSpeaker?(deviceId: string): Promise<void>;
  /** Unpublishes the device and releases it: its track ends. */
  stopLocal(device: LocalDevice): Promise<void>;
  /** In the room: publishes what is captured now (and nothing else). */
  publish(): Promise<void>;
  /** Plays again what the browser refused to autoplay; call from a user gesture. */
  resume(): Promise<void>;
  /** Turns the SDK's volume evaluation on (every `intervalMs`, reported to `onVolumes`) or off (0). */
  watchVolume?(intervalMs: number): void;
  /** At once: every captured track stopped, every remote player removed, every media listener off. */
  release(): void;
}

/** One SDK client bound to one room config. Created fresh for every join. */
export interface RoomConnection {
  /** The SDK's own client (v4 Client, v5 TRTC instance), for the element's `client` property. */
  readonly client: unknown;
  readonly media: ConnectionMedia;
  join(): Promise<void>;
  leave(): Promise<void>;
  /**
   * After a ban, what the SDK still needs before the client is destroyed (trtc-js-sdk: leave(), which
   * clears its page-wide join guard). Absent when the SDK's own exit path already did it.
   */
  afterBan?(): Promise<void>;
  /** Removes every handler and destroys the SDK client. Safe to call twice. */
  destroy(): void;
}

/** The seam to one SDK generation: the only code that knows an SDK's API. */
export interface SdkAdapter {
  readonly generation: string;
  connect(config: RoomConfig, handlers: ConnectionHandlers & MediaHandlers): RoomConnection;
}

/** The numeric code of an SDK error (`getCode()` in both generations), if it has one. */
export function sdkCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { getCode, code } = error as { getCode?: unknown; code?: unknown };
  if (typeof getCode === 'function') {
    try {
      const value: unknown = getCode.call(error);
      if (typeof value === 'number') return value;
    } catch {
      // fall through to `code`
    }
  }
  return typeof code === 'number' ? code : undefined;
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  if (typeof error === 'string' && error) return error;
  return fallback;
}

/**
 * The adapters' one way to report a remote user's media: each change (`{ video: true }`, say) is merged into what
 * that user was known to publish, and the whole is reported.
 */
export function remoteMediaReporter(
  handlers: Pick<MediaHandlers, 'onRemoteMedia'>,
): (userId: string, change: Partial<RemoteMedia>) => void {
  const available = new Map<string, RemoteMedia>();
  return (userId, change) => {
    const media = { ...(available.get(userId) ?? { audio: false, video: false, screen: false }), ...change };
    available.set(userId, media);
    handlers.onRemoteMedia(userId, media);
  };
}
