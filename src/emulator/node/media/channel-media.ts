/**
 * What one real SDK's signalling connection knows of the media server: its room, its member (made at the first
 * media command, so a member who only joins never counts towards the cap), and a place for the dialect's own
 * per-connection state (v4: its uplink and one downlink per remote user). Also the published-user list both
 * SDK generations read from cmd 23 and from the join result's `publishers`.
 */
import type { RoomId } from '../../core/room-service.js';
import {
  MediaRefusal,
  type MediaMember,
  type MediaPublication,
  type MediaServer,
  type PublishedUser,
} from './media-server.js';

/** Flag bits of a published user (trtc-js-sdk `onPublishedUserList` / `onUpdateRemoteMuteStat`). */
export const PUBLISHED_FLAG = {
  BIG_VIDEO: 1,
  SMALL_VIDEO: 2,
  AUX_VIDEO: 4,
  AUDIO: 8,
  VIDEO_MUTED: 16,
  AUDIO_MUTED: 64,
};

export const mediaRoomKey = (sdkAppId: number, roomId: RoomId) => `${sdkAppId}/${typeof roomId}/${roomId}`;

export interface ChannelMedia {
  readonly server: MediaServer;
  /** The media server's key of the channel's room. */
  readonly room: string;
  readonly userId: string;
  /** This connection's member of the media server; throws MediaRefusal past the cap, or in a room whose media another carrier has. */
  member(): MediaMember;
  /** The dialect's state for this connection, by name. */
  readonly state: Map<string, unknown>;
}

/**
 * `refusal` (media-carriers.ts) is asked before the member's media starts: a sentence refuses it (a room whose media
 * is carried by another kind of page).
 */
export function channelMedia(
  server: MediaServer,
  sdkAppId: number,
  roomId: RoomId,
  userId: string,
  refusal: () => string | null = () => null,
): ChannelMedia {
  const room = mediaRoomKey(sdkAppId, roomId);
  const member = () => {
    const existing = server.find(room, userId);
    if (existing) return existing;
    const refused = refusal();
    if (refused) throw new MediaRefusal(refused);
    return server.member(room, userId);
  };
  return { server, room, userId, member, state: new Map() };
}

export function publishedFlag(publication: MediaPublication): number {
  return (
    (publication.video ? PUBLISHED_FLAG.BIG_VIDEO : 0) |
    (publication.screen ? PUBLISHED_FLAG.AUX_VIDEO : 0) |
    (publication.audio ? PUBLISHED_FLAG.AUDIO : 0) |
    (publication.videoMuted ? PUBLISHED_FLAG.VIDEO_MUTED : 0) |
    (publication.audioMuted ? PUBLISHED_FLAG.AUDIO_MUTED : 0)
  );
}

/** cmd 23's `userList` (and the join result's `publishers`): everyone who publishes, a full snapshot. */
export function publishedUserList(users: PublishedUser[], tinyIdOf: (userId: string) => string) {
  return users.map(({ userId, publication }) => ({
    userId,
    srcTinyId: tinyIdOf(userId),
    flag: publishedFlag(publication),
  }));
}
