/**
 * Every documented input of `<trtc-room>`, as its property holds it: the one list the element's properties
 * (`satisfies` in trtc-room.ts), the JSX props (react.ts) and the consumer type test are held to. It sits above
 * config.ts and sdk/ because it names the SDK types, which depend on config.ts. Types only.
 */
import type { Layout, RoomMode, RoomRole, SdkGeneration, TrtcProxy } from './config.js';
import type { TrtcSdk } from './sdk/loader.js';
import type { UiStrings } from './ui/strings.js';

export interface TrtcRoomInputs {
  /** The TRTC application's SDKAppID. Attribute `sdk-app-id`. */
  sdkAppId?: number | undefined;
  /** A numeric room id. Attribute `room-id`. */
  roomId?: number | undefined;
  /** A string room id. Attribute `str-room-id`. */
  strRoomId?: string | undefined;
  /** Attribute `user-id`. */
  userId?: string | undefined;
  /** Attribute `user-sig`. */
  userSig?: string | undefined;
  mode?: RoomMode;
  role?: RoomRole;
  /** An SDK object (property only). */
  sdk?: TrtcSdk | undefined;
  /** Which SDK to import at the first join. Attribute `sdk`. */
  sdkGeneration?: SdkGeneration;
  /** The SDK's proxy setting (property only). */
  proxy?: TrtcProxy | undefined;
  camera?: boolean;
  microphone?: boolean;
  /** The camera's deviceId (`''`: the default). Attribute `camera-id`. */
  cameraId?: string | undefined;
  /** The microphone's deviceId. Attribute `microphone-id`. */
  microphoneId?: string | undefined;
  /** The speaker's deviceId. Attribute `speaker-id`. */
  speakerId?: string | undefined;
  /** Share a screen (docs/media.md). */
  screen?: boolean;
  layout?: Layout;
  /** The call's own controls (docs/ui.md). */
  controls?: boolean;
  /** Entries of the strings table to replace (property only; docs/ui.md). */
  strings?: Partial<UiStrings> | undefined;
}

/** The inputs' names. */
export type TrtcRoomInputName = keyof TrtcRoomInputs;
