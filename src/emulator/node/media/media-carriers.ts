/**
 * One room, one media carrier. The networked emulator carries media three ways that do not reach each other: the
 * emulated SDKs' pages send theirs peer to peer (media-hub.ts relays only the signalling), trtc-js-sdk's go through
 * the media server (media-server.ts), trtc-sdk-v5's single peer connections through spc-v5.ts. Pages of two of them
 * in one room would see each other join and never see or hear each other, so the room's media belongs to the
 * carrier whose members have media there now, and a member of another carrier is refused its media, with the
 * sentence `refusal()` returns (the emulator's log gets it too). When the room's members with media are gone, the
 * next one to start media takes the room for its carrier.
 *
 * A member has media: on the emulated SDK, from its join (it enters the media plane then); on trtc-sdk-v5, from
 * its `join/v2` (its single peer connection); on trtc-js-sdk, from its first publish or subscribe.
 */
import type { RoomId } from '../../core/room-service.js';

export type MediaCarrier = 'the emulated SDK' | 'trtc-js-sdk' | 'trtc-sdk-v5';

/** The users with media in a room, of one carrier. */
export type CarrierMembers = (sdkAppId: number, roomId: RoomId) => readonly string[];

export interface MediaCarriers {
  /** Says where `carrier` keeps its members with media (each media server registers itself once). */
  register(carrier: MediaCarrier, membersOf: CarrierMembers): void;
  /** Null if `userId` may have media in the room on `carrier`; else the sentence that says why not, logged. */
  refusal(carrier: MediaCarrier, sdkAppId: number, roomId: RoomId, userId: string): string | null;
}

const listed = (users: readonly string[]) =>
  users.length > 3 ? `${users.slice(0, 3).join(', ')} and ${users.length - 3} more` : users.join(', ');

export function createMediaCarriers(log: (line: string) => void = () => undefined): MediaCarriers {
  const carriers = new Map<MediaCarrier, CarrierMembers>();
  return {
    register(carrier, membersOf) {
      carriers.set(carrier, membersOf);
    },
    refusal(carrier, sdkAppId, roomId, userId) {
      for (const [other, membersOf] of carriers) {
        if (other === carrier) continue;
        const users = membersOf(sdkAppId, roomId).filter((id) => id !== userId);
        if (users.length === 0) continue;
        const sentence =
          `Room ${JSON.stringify(roomId)} already carries media on ${other} (${listed(users)}), and the emulator ` +
          `does not pass media between ${other} and ${carrier}: ${userId} gets no camera or microphone there. ` +
          `Put pages of one SDK in a room (or use another room).`;
        log(`${JSON.stringify(userId)} (${carrier}): media refused: ${sentence}`);
        return sentence;
      }
      return null;
    },
  };
}
