import { TrtcRoom } from './trtc-room.js';

export { TrtcRoom } from './trtc-room.js';
export { TrtcRoomError } from './events.js';
export type {
  BannedDetail,
  ConnectionStateChangeDetail,
  Capabilities,
  ControlDetail,
  ControlName,
  DeviceFallbackDetail,
  DeviceInfo,
  DeviceLists,
  DevicesChangeDetail,
  ErrorCode,
  ErrorDetail,
  AutoplayBlockedDetail,
  JoinedDetail,
  LeftDetail,
  LocalMediaDetail,
  NetworkQualityDetail,
  NetworkQualityLevel,
  PeerDetail,
  PeerMediaDetail,
  RoomDetail,
  RoomState,
  SpeakingChangeDetail,
  StateChangeDetail,
  TrtcRoomEventDetails,
  TrtcRoomEventMap,
  TrtcRoomEventName,
} from './events.js';
export type { BanReason } from './ban-reason.js';
export type { TrtcRoomInputName, TrtcRoomInputs } from './inputs.js';
export type { Layout, RoomMode, RoomRole, SdkGeneration } from './config.js';
export type { TrtcSdk } from './sdk/loader.js';
export type { UiStrings } from './ui/strings.js';
export type { TrtcV4Client, TrtcV4Namespace } from './sdk/v4.js';
export type { TrtcV5EnterRoomParams, TrtcV5EventNames, TrtcV5Instance, TrtcV5Sdk } from './sdk/v5.js';

// Register once: the npm build and a CDN bundle (or two copies of either) may both load on one page.
if (typeof customElements !== 'undefined' && !customElements.get('trtc-room')) {
  customElements.define('trtc-room', TrtcRoom);
}

declare global {
  interface HTMLElementTagNameMap {
    'trtc-room': TrtcRoom;
  }
}
