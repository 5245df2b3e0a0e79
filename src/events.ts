import type { BanReason } from './ban-reason.js';

export type RoomState = 'idle' | 'joining' | 'joined' | 'leaving' | 'left' | 'banned' | 'error';

/**
 * Every error code. `media-failed` and `sdk-warning` leave the user in the room; the others end the attempt or the
 * visit (state `error`, or `left` for `leave-failed`).
 */
export type ErrorCode =
  | 'invalid-config'
  | 'join-failed'
  | 'leave-failed'
  | 'sdk-load-failed'
  | 'sdk-error'
  | 'connection-lost'
  | 'sdk-warning'
  | 'media-failed';

export interface RoomDetail {
  /** A number for numeric rooms, a string for string rooms. */
  roomId: number | string;
  userId: string;
}
export type JoinedDetail = RoomDetail;
export type LeftDetail = RoomDetail;

export interface BannedDetail extends RoomDetail {
  reason: BanReason;
  /** A non-empty sentence. */
  message: string;
  /** What the SDK gave as its reason (`kick`, `banned`, `room-disband`, …), when it gave one. */
  sdkReason?: string;
}

export interface ErrorDetail {
  code: ErrorCode;
  message: string;
  /** For `invalid-config`: the attribute at fault. For `media-failed`: `camera`, `microphone` or `speaker`. */
  field?: string;
  /** For `media-failed`: the DOMException's name (`NotAllowedError`, `NotFoundError`, `NotReadableError`, `OverconstrainedError`, …). */
  name?: string;
  /** The SDK error's `getCode()`, when there is one. */
  sdkCode?: number;
  /** The underlying error object. */
  cause?: unknown;
}

export interface PeerDetail {
  userId: string;
}

export interface ConnectionStateChangeDetail {
  state: string;
  prevState: string;
}

/** What the element is publishing now. */
export interface LocalMediaDetail {
  camera: boolean;
  microphone: boolean;
  /** A screen share is published (`screen`). */
  screen: boolean;
}

/** What a remote user publishes now (published and not muted). */
export interface PeerMediaDetail {
  userId: string;
  audio: boolean;
  video: boolean;
  /** Shares a screen (v4's auxiliary stream, v5's sub stream). */
  screen: boolean;
}

/** A device the browser offers, as `devices` lists it. */
export interface DeviceInfo {
  deviceId: string;
  /** The browser's name for it (readable once the page has permission: until then no device is listed). */
  label: string;
}

/** The devices the browser offers now (`devices`, and `devices-change`'s detail). */
export interface DeviceLists {
  cameras: DeviceInfo[];
  microphones: DeviceInfo[];
  /** Empty where the browser cannot choose a speaker (`capabilities.speakerSelection` false). */
  speakers: DeviceInfo[];
}
export type DevicesChangeDetail = DeviceLists;

/** The device in use went away: the element moved to the default one. */
export interface DeviceFallbackDetail {
  kind: 'camera' | 'microphone' | 'speaker';
  /** The deviceId that went away. */
  from: string;
  /** The deviceId now in use (the system default). */
  to: string;
}

/** What this browser can do (`capabilities`), by feature detection. */
export interface Capabilities {
  /** A speaker can be chosen (`speakerId`): the browser has `HTMLMediaElement.setSinkId`. */
  speakerSelection: boolean;
  /** The screen can be shared: the browser has `getDisplayMedia` (desktop browsers). */
  screenShare: boolean;
  /** A shared screen can carry its audio (Chromium: the `suppressLocalAudioPlayback` constraint is known). */
  screenShareAudio: boolean;
}

/** The browser refused to play remote media until a user gesture: call `resumeAudio()` from a click. */
export type AutoplayBlockedDetail = Record<string, never>;

/** A user started or stopped speaking (the SDK's volume evaluation, with `controls`): the local user too. */
export interface SpeakingChangeDetail {
  userId: string;
  speaking: boolean;
}

/** The controls of the bar (`controls`): its toggles, leave, and a choice in its device menu. */
export type ControlName = 'microphone' | 'camera' | 'screen' | 'leave' | `${DeviceFallbackDetail['kind']}-device`;

/** A control of the element's bar (`controls`) was used; `preventDefault()` keeps it from acting. */
export interface ControlDetail {
  control: ControlName;
  /** What the click asks for: for microphone, camera and screen the new state (true: on); for leave and a device, true. */
  pressed: boolean;
  /** For `camera-device`, `microphone-device` and `speaker-device`: the chosen device's `deviceId`. */
  deviceId?: string;
}

/**
 * The SDK's network quality: 0 unknown, 1 excellent, 2 good, 3 poor, 4 bad, 5 very bad, 6 disconnected
 * (trtc-js-sdk's `network-quality`, trtc-sdk-v5's `NETWORK_QUALITY`, every 2 s while in the room).
 */
export type NetworkQualityLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * One user's network quality. `userId` is the local user's: neither SDK reports a remote user's quality in its
 * event (each peer's own element reports theirs), so no event names a peer today; a `userId` other than the local
 * one would be a peer's, should an SDK give it.
 */
export interface NetworkQualityDetail {
  userId: string;
  /** From this user to TRTC (what they publish). */
  uplink: NetworkQualityLevel;
  /** From TRTC to this user (the average of what they receive). */
  downlink: NetworkQualityLevel;
  /** Round-trip times in ms and losses in percent, as the SDK measured them (0: no measure). */
  uplinkRtt: number;
  uplinkLoss: number;
  downlinkRtt: number;
  downlinkLoss: number;
}

export interface StateChangeDetail {
  state: RoomState;
  prevState: RoomState;
}

/** Every event `<trtc-room>` dispatches, by name. */
export interface TrtcRoomEventDetails {
  joined: JoinedDetail;
  left: LeftDetail;
  banned: BannedDetail;
  error: ErrorDetail;
  'peer-join': PeerDetail;
  'peer-leave': PeerDetail;
  'connection-state-change': ConnectionStateChangeDetail;
  'state-change': StateChangeDetail;
  'local-media': LocalMediaDetail;
  'peer-media': PeerMediaDetail;
  'autoplay-blocked': AutoplayBlockedDetail;
  'speaking-change': SpeakingChangeDetail;
  control: ControlDetail;
  'devices-change': DevicesChangeDetail;
  'device-fallback': DeviceFallbackDetail;
  'network-quality': NetworkQualityDetail;
}
export type TrtcRoomEventName = keyof TrtcRoomEventDetails;

/**
 * Every event name, at run time: the one list the tests and the manifest check read. The element does not use it,
 * so bundlers drop it from the entry. The type below fails to compile if a name is missing or unknown.
 */
export const TRTC_ROOM_EVENTS = [
  'joined',
  'left',
  'banned',
  'error',
  'peer-join',
  'peer-leave',
  'connection-state-change',
  'state-change',
  'local-media',
  'peer-media',
  'autoplay-blocked',
  'speaking-change',
  'control',
  'devices-change',
  'device-fallback',
  'network-quality',
] as const satisfies readonly TrtcRoomEventName[];
/** `true` while TRTC_ROOM_EVENTS lists every name of TrtcRoomEventDetails; else the missing names. */
export type EveryEventListed = [Exclude<TrtcRoomEventName, (typeof TRTC_ROOM_EVENTS)[number]>] extends [never]
  ? true
  : Exclude<TrtcRoomEventName, (typeof TRTC_ROOM_EVENTS)[number]>;
type Holds<T extends true> = T;
export type EveryEventListedCheck = Holds<EveryEventListed>;

/** How the session, the visit and the call dispatch the element's events (the element gives it). */
export type SessionEmit = <K extends TrtcRoomEventName>(name: K, detail: TrtcRoomEventDetails[K]) => void;

export type TrtcRoomEventMap = Omit<HTMLElementEventMap, 'error'> & {
  [K in TrtcRoomEventName]: CustomEvent<TrtcRoomEventDetails[K]>;
};

/**
 * Dispatches one of the element's events. All bubble and cross shadow roots except `error`, which,
 * like the native `error` of `<img>` and `<video>`, stays on the element so that page-level error
 * monitors do not take it for an uncaught exception.
 */
export function emit<K extends TrtcRoomEventName>(
  target: EventTarget,
  name: K,
  detail: TrtcRoomEventDetails[K],
): boolean {
  const bubbles = name !== 'error';
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles, composed: bubbles }));
}

/** The error `join()` rejects with; its fields match the `error` event's detail. */
export class TrtcRoomError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly sdkCode?: number;

  constructor(detail: ErrorDetail) {
    super(detail.message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.name = 'TrtcRoomError';
    this.code = detail.code;
    if (detail.field !== undefined) this.field = detail.field;
    if (detail.sdkCode !== undefined) this.sdkCode = detail.sdkCode;
  }
}

declare global {
  // `error` is left out on purpose: the DOM already types it as ErrorEvent. TrtcRoom's own
  // addEventListener overloads give it the CustomEvent<ErrorDetail> type.
  interface HTMLElementEventMap {
    joined: CustomEvent<JoinedDetail>;
    left: CustomEvent<LeftDetail>;
    banned: CustomEvent<BannedDetail>;
    'peer-join': CustomEvent<PeerDetail>;
    'peer-leave': CustomEvent<PeerDetail>;
    'connection-state-change': CustomEvent<ConnectionStateChangeDetail>;
    'state-change': CustomEvent<StateChangeDetail>;
    'local-media': CustomEvent<LocalMediaDetail>;
    'peer-media': CustomEvent<PeerMediaDetail>;
    'autoplay-blocked': CustomEvent<AutoplayBlockedDetail>;
    'speaking-change': CustomEvent<SpeakingChangeDetail>;
    control: CustomEvent<ControlDetail>;
    'devices-change': CustomEvent<DevicesChangeDetail>;
    'device-fallback': CustomEvent<DeviceFallbackDetail>;
    'network-quality': CustomEvent<NetworkQualityDetail>;
  }
}
