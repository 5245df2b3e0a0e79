/**
 * The JSON messages between a networked emulator client (`connectTrtcEmulator`, in the page) and the
 * emulator server (`trtc-room-emulator`, in Node). One WebSocket carries one client's stay in one room:
 * it opens for the join and closes after the leave or removal. Requests carry an id; the reply echoes it.
 */
import type { LinkCondition } from './faults.js';
import type { MemberRole, PeerLeaveReason, RemovalReason, RoomId, RoomMode } from './room-service.js';

/** The path of the WebSocket endpoint on the emulator server. */
export const EMULATOR_WEBSOCKET_PATH = '/trtc';

export type ClientMessage =
  | {
      id: number;
      type: 'join';
      sdkAppId: number;
      roomId: RoomId;
      userId: string;
      userSig: string;
      mode?: RoomMode;
      role?: MemberRole;
      /** On a reconnection: the session the client lost (its join reply's `session`), to take back if the server still holds it. */
      resume?: string;
    }
  | { id: number; type: 'leave' };

export type ServerMessage =
  /** The answer to request `id`; a failure carries the SDK error code the client rejects with, and the service's own code. */
  /** A join's reply names the client's session, for a reconnection to resume. */
  | { type: 'reply'; id: number; ok: true; session?: string }
  | { type: 'reply'; id: number | null; ok: false; error: { code: number; message: string; extraCode?: number } }
  /** The member was taken out of the room (the SDK's `client-banned`); the server sends nothing more. */
  | { type: 'removed'; reason: RemovalReason; message: string }
  | { type: 'peer-join'; userId: string }
  | { type: 'peer-leave'; userId: string; reason?: PeerLeaveReason };

/**
 * The media plane of the networked emulator, on a WebSocket of its own per client in a room (same path):
 * publications go to every member of the room, and the offers, answers and ICE candidates of each
 * subscription go to the one member they are for. The media itself flows between the browsers, peer to peer.
 */
export interface MediaPublication {
  audio: boolean;
  video: boolean;
  /** A screen share (absent from an older page: none). */
  screen?: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

export type MediaClientMessage =
  /** The first message: this socket carries `userId`'s media in `room` (the relay's room key). */
  | { type: 'media-enter'; room: string; userId: string }
  | { type: 'media-publish'; publication: MediaPublication }
  /** For one other member of the room (offer, answer, ICE candidate, subscribe, close: the peers' own protocol). */
  | { type: 'media-signal'; to: string; payload: unknown };

export type MediaServerMessage =
  /** The answer to `media-enter`: with `refusal`, the sentence why this member gets no media in the room. */
  | { type: 'media-entered'; refusal?: string }
  | { type: 'media-published'; userId: string; publication: MediaPublication }
  | { type: 'media-signal'; from: string; payload: unknown }
  /** The member's link as the emulator's faults make it (sent at entry and at each change): its network quality. */
  | { type: 'media-link'; link: LinkCondition };

/** The media plane's key of a room (the doubles' relay and the networked emulator's media hub). */
export const relayKeyOf = (sdkAppId: number, roomId: RoomId): string =>
  `${sdkAppId}/${typeof roomId === 'number' ? 'n' : 's'}:${roomId}`;

/** The room a relay key names (relayKeyOf's), or null for a key of another shape. */
export function roomOfRelayKey(key: string): { sdkAppId: number; roomId: RoomId } | null {
  const match = /^(\d+)\/([ns]):(.*)$/s.exec(key);
  if (!match) return null;
  const [, app, kind, id] = match as unknown as [string, string, string, string];
  return { sdkAppId: Number(app), roomId: kind === 'n' ? Number(id) : id };
}
