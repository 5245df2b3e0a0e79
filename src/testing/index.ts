// `trtc-room/testing`: the local TRTC emulator, for tests and demos. Not part of the main entry.
export { createTrtcEmulator } from '../emulator/page/emulator.js';
export {
  connectTrtcEmulator,
  SCHEDULE_FAILED,
  type TrtcEmulatorConnection,
  type TrtcEmulatorConnectionOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from '../emulator/page/remote.js';
export { EMULATOR_WEBSOCKET_PATH } from '../emulator/core/wire-protocol.js';
export type { EmulatedSdks, EmulatedSdkOptions } from '../emulator/page/sdk-shapes.js';
export type {
  EmulatedTrtcV4,
  EmulatedTrtcV5,
  TrtcEmulator,
  TrtcEmulatorAdmin,
  TrtcEmulatorOptions,
} from '../emulator/page/emulator.js';
export { FaultQueue, type Fault, type RoomBackend, type BackendMembership } from '../emulator/page/backend.js';
export {
  EmulatedV4Client,
  EmulatedRtcError,
  PageJoinGuard,
  BAN_MESSAGES,
  sdkMessage,
  SDK_RECONNECT_ATTEMPTS,
  sdkReconnectDelayMs,
  type EmulatedClientConfig,
  type EmulatedClientRules,
} from '../emulator/page/v4-client.js';
export {
  EmulatedV5Trtc,
  EmulatedV5RtcError,
  V5JoinGuard,
  V5_ERROR_CODE,
  V5_EVENT,
  convertToV5Error,
  type EmulatedEnterRoomConfig,
} from '../emulator/page/v5-client.js';
export {
  RoomService,
  RoomServiceError,
  JoinRefusedError,
  JOIN_REFUSAL,
  DEFAULT_SDK_APP_ID,
  DEFAULT_LIVE_ROOM_RETENTION_MS,
  PEER_LEAVE_REASON,
  MAX_USER_IDS,
  type MemberRole,
  type PeerLeaveReason,
  type RoomMode,
  type JoinRequest,
  type MemberSink,
  type Membership,
  type RemovalReason,
  type RemoveUsersRequest,
  type RoomId,
  type RoomRef,
  type RoomServiceOptions,
  type RoomSnapshot,
} from '../emulator/core/room-service.js';
export { generateTestUserSig, verifyUserSig, UserSigError } from '../emulator/core/user-sig.js';
export {
  MediaRelay,
  RelayMember,
  NOTHING_PUBLISHED,
  type MediaKind,
  type MediaLink,
  type Publication,
  type RelayPeer,
} from '../emulator/page/media/relay.js';
export {
  EmulatedLocalStream,
  EmulatedRemoteStream,
  EmulatedV4MediaClient,
  DEVICE_NOT_FOUND,
  INITIALIZE_FAILED,
  PLAY_NOT_ALLOWED,
  type EmulatedStreamConfig,
  type PlaybackOptions,
} from '../emulator/page/media/v4-media.js';
export { EmulatedV5MediaTrtc, V5_MEDIA_EVENT, v5DeviceError } from '../emulator/page/media/v5-media.js';
