/**
 * One socket of an emulated SDK client (`/trtc`, wire-protocol.ts): at most one join, then its membership until
 * leave, removal, or drop. A socket whose first message is `media-enter` is the client's media signalling
 * instead, handed to the media hub (media-hub.ts).
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { FaultBoard } from '../core/faults.js';
import type { Membership, MemberSink, RoomService } from '../core/room-service.js';
import { INVALID_OPERATION, INVALID_PARAMETER, JOIN_ROOM_FAILED } from '../../sdk/v4-error-codes.js';
import type { ClientMessage, MediaClientMessage, ServerMessage } from '../core/wire-protocol.js';
import type { DroppedMembers } from './dropped-members.js';
import { quote } from './log-text.js';
import type { MediaHub } from './media-hub.js';

export interface MemberSocketContext {
  service: RoomService;
  dropped: DroppedMembers;
  mediaHub: MediaHub;
  faults: FaultBoard;
  /** Each client's session (its join reply's `session`), by which a reconnection takes its membership back. */
  sessions: Map<string, Membership>;
  log(line: string): void;
}

type JoinRequest = Extract<ClientMessage, { type: 'join' }>;

export class MemberSocket {
  private state: 'new' | 'joining' | 'joined' | 'ended' = 'new';
  private membership: Membership | null = null;
  private session: string | undefined;
  // Pushes made during the join (the users already in the room) are held and sent just before its reply,
  // so the client announces them before its join() resolves, as trtc-js-sdk does with its join answer.
  private held: ServerMessage[] | null = null;
  private media: ((message: MediaClientMessage) => void) | undefined;
  private readonly sink: MemberSink = {
    removed: (reason, message) => {
      if (this.membership) this.context.dropped.forget(this.membership);
      this.endSession();
      this.membership = null;
      this.state = 'ended';
      this.send({ type: 'removed', reason, message });
    },
    peerJoin: (userId) => this.send({ type: 'peer-join', userId }),
    peerLeave: (userId, reason) => this.send({ type: 'peer-leave', userId, reason }),
  };

  constructor(
    private readonly socket: WebSocket,
    private readonly context: MemberSocketContext,
  ) {
    socket.on('message', (data, isBinary) => this.receive(isBinary ? '' : data.toString()));
    socket.on('close', () => {
      if (this.membership) context.dropped.drop(this.membership);
    });
    socket.on('error', (error) => context.log(`WebSocket error: ${error.message}`));
  }

  /** The member this socket speaks for, once joined: what a drop fault looks at. */
  get subject(): Membership | undefined {
    return this.membership ?? undefined;
  }

  private endSession(): void {
    if (this.session !== undefined) this.context.sessions.delete(this.session);
    this.session = undefined;
  }

  private send(message: ServerMessage): void {
    if (this.held) this.held.push(message);
    else if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private fail(id: number | null, code: number, message: string, extraCode?: number): void {
    this.send({
      type: 'reply',
      id,
      ok: false,
      error: { code, message, ...(extraCode !== undefined ? { extraCode } : {}) },
    });
  }

  /** One text message from the client. */
  receive(text: string): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(text);
    } catch {
      this.fail(null, INVALID_PARAMETER, 'The message is not JSON text.');
      return;
    }
    // A media socket (src/emulator/node/media-hub.ts): it carries no join.
    const mediaMessage = message as unknown as MediaClientMessage;
    if (this.media) return this.media(mediaMessage);
    if (this.state === 'new' && mediaMessage?.type === 'media-enter') {
      this.media = this.context.mediaHub.serve(this.socket, mediaMessage);
      return;
    }
    const id = typeof message?.id === 'number' ? message.id : null;
    if (id === null) this.fail(null, INVALID_PARAMETER, 'Every request needs a numeric id.');
    else if (message.type === 'join') void this.join(id, message);
    else if (message.type === 'leave') this.leave(id);
    else
      this.fail(id, INVALID_PARAMETER, `Unknown request type ${JSON.stringify((message as { type?: unknown }).type)}.`);
  }

  private async join(id: number, request: JoinRequest): Promise<void> {
    const { service, dropped, log } = this.context;
    if (this.state !== 'new') {
      this.fail(id, INVALID_OPERATION, 'A connection carries one join; open a new one to join again.');
      return;
    }
    const { sdkAppId, roomId, userId, userSig, mode, role, resume } = request;
    // A client whose connection is dropped (an injected fault) cannot reach the service: its socket is cut.
    if (this.context.faults.isDropped({ sdkAppId, roomId, userId })) {
      this.state = 'ended';
      this.socket.terminate();
      return;
    }
    // A reconnection takes its membership back if the server still holds it (its peers see no leave, no join).
    const earlier = typeof resume === 'string' ? this.context.sessions.get(resume) : undefined;
    if (earlier && earlier.userId === userId && dropped.undrop(earlier) && service.resume(earlier, this.sink)) {
      this.state = 'joined';
      this.membership = earlier;
      this.session = resume;
      log(`${quote(userId)} resumed its session in room ${quote(roomId)} of app ${quote(sdkAppId)}`);
      this.send({ type: 'reply', id, ok: true, session: resume });
      return;
    }
    this.state = 'joining';
    this.held = [];
    try {
      const joined = await service.join({ sdkAppId, roomId, userId, userSig, mode, role }, this.sink);
      log(`${quote(userId)} joined room ${quote(roomId)} of app ${quote(sdkAppId)}`);
      // The state is read again: a removal may have ended this socket's stay during the await.
      if ((this.state as MemberSocket['state']) === 'joining') {
        this.state = 'joined';
        this.membership = joined;
        this.session = randomUUID();
        this.context.sessions.set(this.session, joined);
        if (this.socket.readyState !== this.socket.OPEN) dropped.drop(joined);
      }
      const pushes = this.held;
      this.held = null;
      for (const push of pushes ?? []) this.send(push);
      this.send({ type: 'reply', id, ok: true, ...(this.session ? { session: this.session } : {}) });
    } catch (error) {
      this.held = null;
      this.state = 'ended';
      const code =
        typeof (error as { getCode?: unknown })?.getCode === 'function'
          ? (error as { getCode(): number }).getCode()
          : JOIN_ROOM_FAILED;
      log(`${quote(userId)} could not join: ${error instanceof Error ? error.message : String(error)}`);
      const extraCode =
        typeof (error as { getExtraCode?: unknown })?.getExtraCode === 'function'
          ? (error as { getExtraCode(): number }).getExtraCode()
          : undefined;
      this.fail(id, code, error instanceof Error ? error.message : String(error), extraCode);
    }
  }

  private leave(id: number): void {
    if (this.state === 'joining') {
      this.fail(id, INVALID_OPERATION, 'The join is still in flight; leave once it has been answered.');
      return;
    }
    const { membership } = this;
    if (membership) {
      this.context.log(
        `${quote(membership.userId)} left room ${quote(membership.roomId)} of app ${membership.sdkAppId}`,
      );
      this.context.service.leave(membership);
    }
    this.endSession();
    this.membership = null;
    this.state = 'ended';
    this.send({ type: 'reply', id, ok: true });
  }
}
