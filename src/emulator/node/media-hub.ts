/**
 * The networked emulator's media signalling: it keeps each room's publications and passes each subscription's
 * offer, answer and ICE candidates between the two browsers, which then send the media to each other directly.
 * A socket sends `media-enter` first and hears `media-entered` (with the refusal's sentence when the room's media
 * is carried for the real SDKs: media/media-carriers.ts); when it closes, its member published nothing more.
 */
import type { WebSocket } from 'ws';
import { CLEAR_LINK, type FaultBoard, type LinkCondition } from '../core/faults.js';
import {
  relayKeyOf,
  roomOfRelayKey,
  type MediaClientMessage,
  type MediaPublication,
  type MediaServerMessage,
} from '../core/wire-protocol.js';
import type { MediaCarriers } from './media/media-carriers.js';

const NOTHING: MediaPublication = { audio: false, video: false, screen: false, audioMuted: false, videoMuted: false };

interface MediaMember {
  socket: WebSocket;
  publication: MediaPublication;
  /** The link last sent to it. */
  link: LinkCondition;
}

/** The media signalling of every room, one per emulator server. */
export type MediaHub = ReturnType<typeof createMediaHub>;

export { roomOfRelayKey };

/**
 * `faults`: each member hears its link (`media-link`) at entry and whenever a fault starts or ends, for its
 * double's network quality (the doubles' media goes between the pages, which no fault touches).
 */
export function createMediaHub(
  log: (line: string) => void = () => undefined,
  carriers?: MediaCarriers,
  faults?: FaultBoard,
) {
  const rooms = new Map<string, Map<string, MediaMember>>();
  const linkOf = (room: string, userId: string): LinkCondition => {
    const where = roomOfRelayKey(room);
    return where && faults ? faults.linkOf({ ...where, userId }) : CLEAR_LINK;
  };
  const sendLink = (room: string, userId: string, member: MediaMember) => {
    const link = linkOf(room, userId);
    const { blocked, delayMs, lossRate } = member.link;
    if (link.blocked === blocked && link.delayMs === delayMs && link.lossRate === lossRate) return;
    member.link = link;
    send(member.socket, { type: 'media-link', link });
  };
  faults?.onChange(() => {
    for (const [room, members] of rooms) for (const [userId, member] of members) sendLink(room, userId, member);
  });
  carriers?.register('the emulated SDK', (sdkAppId, roomId) => [
    ...(rooms.get(relayKeyOf(sdkAppId, roomId))?.keys() ?? []),
  ]);
  const send = (socket: WebSocket, message: MediaServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const announce = (room: string, userId: string, publication: MediaPublication) => {
    for (const [other, member] of rooms.get(room) ?? [])
      if (other !== userId) send(member.socket, { type: 'media-published', userId, publication });
  };

  return {
    /** Serves a socket whose first message was `media-enter`; every later message of it comes here too. */
    serve(
      socket: WebSocket,
      enter: Extract<MediaClientMessage, { type: 'media-enter' }>,
    ): (message: MediaClientMessage) => void {
      const { room, userId } = enter;
      const where = roomOfRelayKey(room);
      const refusal = where && carriers?.refusal('the emulated SDK', where.sdkAppId, where.roomId, userId);
      if (refusal) {
        // Not a member of the room's media: it hears no publication and sends none.
        send(socket, { type: 'media-entered', refusal });
        return () => undefined;
      }
      send(socket, { type: 'media-entered' });
      const members = rooms.get(room) ?? new Map<string, MediaMember>();
      rooms.set(room, members);
      members.get(userId)?.socket.close(1000, 'replaced');
      const self: MediaMember = { socket, publication: NOTHING, link: CLEAR_LINK };
      members.set(userId, self);
      sendLink(room, userId, self);
      for (const [other, member] of members)
        if (other !== userId) send(socket, { type: 'media-published', userId: other, publication: member.publication });
      socket.on('close', () => {
        if (members.get(userId) !== self) return;
        members.delete(userId);
        if (members.size === 0) rooms.delete(room);
        if (self.publication.audio || self.publication.video || self.publication.screen)
          announce(room, userId, NOTHING);
      });
      log(`${userId} entered the media plane of ${room}`);
      return (message) => {
        if (members.get(userId) !== self) return;
        if (message.type === 'media-publish') {
          self.publication = message.publication;
          announce(room, userId, message.publication);
        } else if (message.type === 'media-signal') {
          const to = members.get(message.to);
          if (to) send(to.socket, { type: 'media-signal', from: userId, payload: message.payload });
        }
      };
    },
  };
}
