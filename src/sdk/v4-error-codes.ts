/**
 * trtc-js-sdk's error codes (`getCode()`), those trtc-room, its adapters and its emulator name: each written
 * once, here. The compiler holds them to the SDK's own `ErrorCode` (node_modules/trtc-js-sdk/index.d.ts).
 */
import type { ErrorCode } from 'trtc-js-sdk';

export const INVALID_PARAMETER = 0x1000;
export const INVALID_OPERATION = 0x1001;
export const DEVICE_NOT_FOUND = 0x1003;
export const INITIALIZE_FAILED = 0x1004;
export const JOIN_ROOM_FAILED = 0x4004;
export const SIGNAL_CHANNEL_RECONNECTION_FAILED = 0x4006;
export const PLAY_NOT_ALLOWED = 0x4043;
/** The SDK's UNKNOWN: what it gives a failure it has no code for (a refused publish, say). */
export const UNKNOWN = 0xffff;
/**
 * SCHEDULE_FAILED: the service could not be reached at all. Not in index.d.ts's ErrorCode; trtc.esm.js gives it
 * when its schedule request fails.
 */
export const SCHEDULE_FAILED = 0x404c;

// Type-only: each code above (but SCHEDULE_FAILED) is the SDK's value of that name.
type Same<T extends true> = T;
export type V4CodesMatchTheSdk = Same<
  [
    typeof INVALID_PARAMETER,
    typeof INVALID_OPERATION,
    typeof DEVICE_NOT_FOUND,
    typeof INITIALIZE_FAILED,
    typeof JOIN_ROOM_FAILED,
    typeof SIGNAL_CHANNEL_RECONNECTION_FAILED,
    typeof PLAY_NOT_ALLOWED,
    typeof UNKNOWN,
  ] extends [
    ErrorCode['INVALID_PARAMETER'],
    ErrorCode['INVALID_OPERATION'],
    ErrorCode['DEVICE_NOT_FOUND'],
    ErrorCode['INITIALIZE_FAILED'],
    ErrorCode['JOIN_ROOM_FAILED'],
    ErrorCode['SIGNAL_CHANNEL_RECONNECTION_FAILED'],
    ErrorCode['PLAY_NOT_ALLOWED'],
    ErrorCode['UNKNOWN'],
  ]
    ? true
    : false
>;
