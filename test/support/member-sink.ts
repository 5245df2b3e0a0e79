import type { MemberSink, PeerLeaveReason, RemovalReason } from '../../src/emulator/core/room-service.js';

/**
 * A member's view of the room service: what it was told, in order (`removed:kick`, `peer-join:bob`,
 * `peer-leave:bob`, or with `leaveReasons` `peer-leave:bob:0`).
 */
export function memberSink({ leaveReasons = false } = {}): MemberSink & { heard: string[] } {
  const heard: string[] = [];
  return {
    heard,
    removed: (reason: RemovalReason) => heard.push(`removed:${reason}`),
    peerJoin: (userId) => heard.push(`peer-join:${userId}`),
    peerLeave: (userId, reason: PeerLeaveReason) =>
      heard.push(leaveReasons ? `peer-leave:${userId}:${reason}` : `peer-leave:${userId}`),
  };
}
