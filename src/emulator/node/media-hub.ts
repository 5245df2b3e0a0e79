/**
 * The networked emulator's media signalling: it keeps each room's publications and passes each subscription's
 * offer, answer and ICE candidates between the two browsers, which then send the media to each other directly.
 * A socket sends `media-enter` first; when it closes, its member published nothing more.
 */
import type { WebSocket } from 'ws';
import type { MediaClientMessage, MediaPublication, MediaServerMessage } from '../core/wire-protocol.js';

const NOTHING: MediaPublication = { audio: false, video: false, screen: false, audioMuted: false, videoMuted: false };

interface MediaMember {
  socket: WebSocket;
  publication: MediaPublication;
}

/** The media signalling of every room, one per emulator server. */
export type MediaHub = ReturnType<typeof createMediaHub>;

export function createMediaHub(log: (line: string) => void = () => undefined) {
  const rooms = new Map<string, Map<string, MediaMember>>();
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
      const members = rooms.get(room) ?? new Map<string, MediaMember>();
      rooms.set(room, members);
      members.get(userId)?.socket.close(1000, 'replaced');
      const self: MediaMember = { socket, publication: NOTHING };
      members.set(userId, self);
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
