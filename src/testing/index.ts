/**
 * `trtc-room/testing`: the local TRTC emulator's public surface, for tests and demos. Not part of the main
 * entry. docs/emulator.md#the-trtc-roomtesting-surface lists every export, and test/node/testing-surface.test.mjs
 * holds this file to that list: what is not here is internal (src/emulator/), and may change.
 */
export {
  createTrtcEmulator,
  type EmulatedTrtcV4,
  type EmulatedTrtcV5,
  type TrtcEmulator,
  type TrtcEmulatorAdmin,
  type TrtcEmulatorOptions,
} from '../emulator/page/emulator.js';
export {
  connectTrtcEmulator,
  SCHEDULE_FAILED,
  type TrtcEmulatorConnection,
  type TrtcEmulatorConnectionOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from '../emulator/page/remote.js';
export type { EmulatedSdks, EmulatedSdkOptions } from '../emulator/page/sdk-shapes.js';
export {
  generateTestUserSig,
  verifyUserSig,
  UserSigError,
  type TestUserSigOptions,
  type UserSigCheck,
} from '../emulator/core/user-sig.js';
export {
  DEFAULT_SDK_APP_ID,
  type RemoveUsersRequest,
  type RoomRef,
  type RoomSnapshot,
} from '../emulator/core/room-service.js';
export { EMULATOR_WEBSOCKET_PATH } from '../emulator/core/wire-protocol.js';
export {
  FaultError,
  type ActiveFault,
  type DropFault,
  type EmulatorFaults,
  type FaultHandle,
  type FaultTarget,
  type MediaFault,
  type RefuseJoinsFault,
  type RestartOptions,
} from '../emulator/core/faults.js';
