/** Why the element was forced out of its room. */
export type BanReason = 'duplicate-user-id' | 'removed-by-admin' | 'room-dismissed' | 'unknown';

export interface BanInfo {
  reason: BanReason;
  /** Always a non-empty sentence. */
  message: string;
  /** The SDK's own reason string, when it gave one. */
  sdkReason?: string;
}

const REASON_BY_SDK_REASON: Record<string, BanReason> = {
  kick: 'duplicate-user-id',
  banned: 'removed-by-admin',
  'room-disband': 'room-dismissed',
  room_disband: 'room-dismissed',
};

const DEFAULT_MESSAGE: Record<BanReason, string> = {
  'duplicate-user-id': 'Another client joined this room with the same userId.',
  'removed-by-admin': 'The app server removed this user from the room.',
  'room-dismissed': 'The app server dismissed the room.',
  unknown: 'The SDK removed this user from the room.',
};

// Releases of trtc-js-sdk v4 before `reason` existed fired `client-banned` with only an error message.
const LEGACY_MESSAGE_PATTERNS: Array<[RegExp, BanReason]> = [
  [/duplicated?\s+user\s*id/i, 'duplicate-user-id'],
  [/banned by (the )?(account )?admin|got banned/i, 'removed-by-admin'],
  [/room[\s_-]*(disband|dismiss)|dismissed/i, 'room-dismissed'],
];

/**
 * Turns what the SDK passed to its `client-banned` (v4) or `KICKED_OUT` (v5) handler into a BanInfo:
 * a `{ reason, message }` object, a legacy error whose message names the cause, or anything else.
 */
export function toBanInfo(payload: unknown): BanInfo {
  const sdkReason = readString(payload, 'reason');
  const sdkMessage = readString(payload, 'message') ?? (typeof payload === 'string' ? payload : undefined);
  let reason: BanReason = 'unknown';
  if (sdkReason !== undefined) {
    reason = REASON_BY_SDK_REASON[sdkReason] ?? 'unknown';
  } else if (sdkMessage) {
    reason = LEGACY_MESSAGE_PATTERNS.find(([pattern]) => pattern.test(sdkMessage))?.[1] ?? 'unknown';
  }
  const info: BanInfo = { reason, message: sdkMessage?.trim() || DEFAULT_MESSAGE[reason] };
  if (sdkReason !== undefined) info.sdkReason = sdkReason;
  return info;
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
