/**
 * One socket of a real SDK's signalling (`/signal/v4`, `/signal/v5`): it answers each frame from its dialect's
 * command table (signalling-commands.ts) and speaks for a client whose membership may outlive the socket (a
 * reconnection moves it to a fresh one). What every socket shares (who is joined, the bans in transit) is a
 * `SignallingRooms`.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { quote } from './log-text.js';
import type { Membership, MemberSink, RemovalReason, RoomId, RoomService } from '../core/room-service.js';
import type { FaultBoard, FaultSubject } from '../core/faults.js';
import {
  ANCHOR,
  EMULATOR_REFUSAL_CODE,
  SERVER_CMD,
  serverFrame,
  tinyIdOf,
  type ClientFrame,
  type CommandFrame,
  type ServerFrame,
  type SignallingChannelApi,
  type SignallingCommand,
  type SignallingDialect,
} from './signalling-frames.js';
import { roomIdOf, signallingCommands } from './signalling-commands.js';
import type { MediaServer } from './media/media-server.js';
import { channelMedia, mediaRoomKey, publishedUserList, type ChannelMedia } from './media/channel-media.js';
import { createSpcMediaServer, type SpcMediaServer } from './media/spc-v5.js';

/** The key of a room in the single-peer-connection media server. */
export const spcRoomOf = (membership: Pick<Membership, 'sdkAppId' | 'roomId'>) =>
  JSON.stringify([membership.sdkAppId, typeof membership.roomId, membership.roomId]);

export interface SdkSignallingHooks {
  service: RoomService;
  log(line: string): void;
  /** The member's socket closed without a leave: remove it after the drop timeout unless it comes back. */
  drop(membership: Membership): void;
  /** The member came back: cancel its pending removal. False if it was no longer pending (already removed). */
  undrop(membership: Membership): boolean;
  /** The media server (media/): without it, media commands find no media and fail. */
  media?: MediaServer;
  /** At most this many trtc-sdk-v5 members with a single peer connection at once (media/spc-v5.ts's default). */
  maxSpcMembers?: number;
  /** Injected faults: a dropped client's join or reconnection finds its socket cut. */
  faults?: FaultBoard;
}

const reasonForSdk: Record<RemovalReason, string> = { kick: 'kick', banned: 'banned', 'room-disband': 'room_disband' };

/** One client's signalling: its socket may change (a reconnect) while its membership stays. */
export interface SignallingMember {
  socket: WebSocket;
  readonly dialect: SignallingDialect;
  readonly sdkAppId: number;
  readonly userId: string;
  readonly userSig: string;
  membership: Membership | null;
  /** Pushes held while the join is answered. */
  held: ServerFrame[] | null;
  /** The SDK is about to move to a fresh socket (the emulator refused its peer connection's rebuild). */
  moving: boolean;
  /** The client's media while joined (with a media server). */
  media: ChannelMedia | null;
  /** Stops the cmd 23 pushes of the room's publications. */
  stopPublications: (() => void) | null;
  /**
   * The client's number, given at its join as the join result's `relayPort`, which both SDKs echo when they
   * reconnect (trtc-js-sdk's getReconnectionUrl puts it in the `&rc=1` URL; trtc-sdk-v5's `reconnect` command
   * sends it) and use for nothing else (v5 reports it in its quality report): how a reconnection and a ban held
   * for it find their own client among clients of one userId. 0 until joined.
   */
  session: number;
}

/** The SDKs read relayPort as a port: sessions run from 1 to 65535, then start again. */
const MAX_SESSION = 65535;
const isSession = (session: number | undefined): session is number =>
  session !== undefined && Number.isInteger(session) && session > 0 && session <= MAX_SESSION;

/** What every socket of the SDKs' signalling shares: the joined members and the removals in transit. */
export class SignallingRooms {
  /** Joined members by dialect, app, room and user: how a reconnect or a rejoin after a dropped socket finds its membership. */
  private readonly joined = new Map<string, SignallingMember>();
  /**
   * Removals that found the client between sockets (its old one closing, its new one not joined yet), per client:
   * delivered when that client reconnects (named by its session) or rejoins, so a ban is never lost to a
   * reconnection, nor given to another client of the same userId.
   */
  private readonly bansInTransit = new Map<
    SignallingMember,
    { reason: RemovalReason; roomId: RoomId; until: number }
  >();
  /** Clients by session (their join result's relayPort), while joined or holding a ban. */
  private readonly bySession = new Map<number, SignallingMember>();
  private nextSession = 1;
  private readonly loggedUnknown = new Set<string>();
  private readonly commandTables = new Map<SignallingDialect, ReadonlyMap<string, SignallingCommand>>();

  /** trtc-sdk-v5's single peer connections; a room's change of publications goes to its v5 members as cmd 23. */
  readonly spc: SpcMediaServer;

  constructor(readonly hooks: SdkSignallingHooks) {
    const { faults } = hooks;
    this.spc = createSpcMediaServer({
      log: hooks.log,
      // The SPC server's room key is spcRoomOf's: [sdkAppId, typeof roomId, roomId].
      ...(faults
        ? {
            linkOf: (room: string, userId: string) => {
              const [sdkAppId, , roomId] = JSON.parse(room) as [number, string, RoomId];
              return faults.linkOf({ sdkAppId, roomId, userId });
            },
          }
        : {}),
      ...(hooks.maxSpcMembers !== undefined ? { maxMembers: hooks.maxSpcMembers } : {}),
      publishersChanged: (room) => {
        const list = serverFrame(SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, { userList: this.spc.publishers(room) });
        for (const member of this.joined.values())
          if (member.dialect.key === 'v5' && member.membership && spcRoomOf(member.membership) === room)
            sendTo(member, list);
      },
    });
    // A member gone from its room (left, removed, dropped for good) stops being forwarded and its transport closes.
    hooks.service.onChange(() => {
      const present = new Set(
        hooks.service
          .snapshot()
          .flatMap((room) => room.members.map((userId) => JSON.stringify([spcRoomOf(room), userId]))),
      );
      for (const { room, userId } of this.spc.members())
        if (!present.has(JSON.stringify([room, userId]))) void this.spc.leave(room, userId);
    });
  }

  commandsOf(dialect: SignallingDialect): ReadonlyMap<string, SignallingCommand> {
    let table = this.commandTables.get(dialect);
    if (!table) this.commandTables.set(dialect, (table = signallingCommands(dialect)));
    return table;
  }

  /** True the first time `cmd` of `dialect` is met: an unknown command is logged once. */
  firstUnknown(dialect: SignallingDialect, cmd: string): boolean {
    const key = `${dialect.key}/${cmd}`;
    if (this.loggedUnknown.has(key)) return false;
    this.loggedUnknown.add(key);
    return true;
  }

  private keyOf(dialect: SignallingDialect, sdkAppId: number, roomId: RoomId, userId: string): string {
    return JSON.stringify([dialect.key, sdkAppId, typeof roomId, roomId, userId]);
  }

  remember(member: SignallingMember, roomId: RoomId): void {
    this.joined.set(this.keyOf(member.dialect, member.sdkAppId, roomId, member.userId), member);
    for (let tries = 0; tries < MAX_SESSION && (member.session === 0 || this.bySession.has(member.session)); tries++) {
      member.session = this.nextSession;
      this.nextSession = (this.nextSession % MAX_SESSION) + 1;
    }
    this.bySession.set(member.session, member);
    const { media } = this.hooks;
    if (!media) return;
    // The room's publications reach the client as cmd 23, each a full snapshot.
    member.media = channelMedia(media, member.sdkAppId, roomId, member.userId);
    member.stopPublications = media.onPublications(member.media.room, () =>
      sendTo(member, serverFrame(SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, { userList: publishedUsersOf(member) })),
    );
  }

  /** Members removed by a path that bypasses their socket (the drop timeout) end their media too. */
  forgetAbsent(): void {
    const present = new Set(
      this.hooks.service
        .snapshot()
        .flatMap((room) => room.members.map((userId) => JSON.stringify([room.sdkAppId, room.roomId, userId]))),
    );
    for (const member of [...this.joined.values()]) {
      const { membership } = member;
      if (membership && !present.has(JSON.stringify([membership.sdkAppId, membership.roomId, member.userId])))
        this.forget(member);
    }
  }

  forget(member: SignallingMember): void {
    // Its media ends with its stay: forwarding stops, its transports close.
    member.stopPublications?.();
    member.stopPublications = null;
    if (member.media) this.hooks.media?.end(member.media.room, member.userId, 'left the room');
    member.media = null;
    if (member.membership) {
      const key = this.keyOf(member.dialect, member.sdkAppId, member.membership.roomId, member.userId);
      if (this.joined.get(key) === member) this.joined.delete(key);
      void this.spc.leave(spcRoomOf(member.membership), member.userId);
    }
    // A client holding a ban stays findable by its session until the ban is delivered or too old.
    if (!this.bansInTransit.has(member) && this.bySession.get(member.session) === member)
      this.bySession.delete(member.session);
    member.membership = null;
  }

  /** Holds the removal from `roomId` for this client (between sockets now), to deliver when it comes back. */
  holdBan(member: SignallingMember, roomId: RoomId, reason: RemovalReason): void {
    const now = Date.now();
    for (const [client, ban] of this.bansInTransit) if (ban.until < now) this.dropBan(client);
    this.bansInTransit.set(member, { reason, roomId, until: now + 60_000 });
  }

  private dropBan(client: SignallingMember): void {
    this.bansInTransit.delete(client);
    if (this.bySession.get(client.session) === client && !client.membership) this.bySession.delete(client.session);
  }

  /**
   * The removal from `roomId` that found this client between sockets, once; undefined if none or it is too old. The
   * client is the one its session names (a reconnection). Without one (trtc-sdk-v5's rejoin on a fresh socket names
   * no client), it is the one client of this userId that holds a ban for the room, if there is exactly one.
   */
  takeBan(member: SignallingMember, roomId: RoomId, session?: number): RemovalReason | undefined {
    const sameClient = (client: SignallingMember) =>
      client.dialect === member.dialect && client.sdkAppId === member.sdkAppId && client.userId === member.userId;
    let client: SignallingMember | undefined;
    if (isSession(session)) client = this.bySession.get(session);
    else {
      const candidates = [...this.bansInTransit].filter(([held, ban]) => sameClient(held) && ban.roomId === roomId);
      client = candidates.length === 1 ? candidates[0]![0] : undefined;
    }
    const ban = client && this.bansInTransit.get(client);
    if (!client || !ban || !sameClient(client) || ban.roomId !== roomId) return undefined;
    this.dropBan(client);
    return ban.until < Date.now() ? undefined : ban.reason;
  }

  /** The joined client this session names, if it is of this dialect, app, user and room. */
  clientOf(session: number | undefined, member: SignallingMember, roomId: RoomId): SignallingMember | undefined {
    if (!isSession(session)) return undefined;
    const client = this.bySession.get(session);
    if (
      !client ||
      client.dialect !== member.dialect ||
      client.sdkAppId !== member.sdkAppId ||
      client.userId !== member.userId ||
      client.membership?.roomId !== roomId
    )
      return undefined;
    return client;
  }

  /**
   * A joined member of the same client that this socket may take over: on the SDK's reconnection (v4
   * `&rc=1`, v5 `reconnect`: its own session, whatever the server still thinks of the old socket), or on a
   * join once the old socket is gone or announced its move (v5's fallback rejoin). Another page with the same
   * userId joins while the earlier socket is open, and kicks it.
   */
  takeOver(
    socket: WebSocket,
    member: SignallingMember,
    roomId: RoomId,
    how: 'reconnect' | 'rejoin' | 'join',
    session?: number,
  ): SignallingMember | undefined {
    const { dialect, sdkAppId, userId, userSig } = member;
    const key = this.keyOf(dialect, sdkAppId, roomId, userId);
    // A reconnection that names its client resumes that client only; one that names none, the room's member of this userId.
    const named = how === 'reconnect' && isSession(session);
    const earlier = named ? this.clientOf(session, member, roomId) : this.joined.get(key);
    if (!earlier || earlier.socket === socket || earlier.userSig !== userSig) return undefined;
    const open = earlier.socket.readyState === earlier.socket.OPEN;
    if (open && how === 'join') return undefined;
    if (open && how === 'rejoin' && !earlier.moving) return undefined;
    if (
      !earlier.membership ||
      (!this.hooks.undrop(earlier.membership) && earlier.socket.readyState === earlier.socket.CLOSED)
    ) {
      if (this.joined.get(key) === earlier) this.joined.delete(key);
      return undefined;
    }
    // The old socket, if the server still holds it, is the client's own past: closed, so nothing goes there.
    if (open) earlier.socket.terminate();
    earlier.socket = socket;
    earlier.moving = false;
    this.hooks.log(`${quote(userId)} (${dialect.sdk}) reconnected to room ${quote(roomId)}`);
    return earlier;
  }
}

/** cmd 23's list for the member: everyone else in its room who publishes. */
function publishedUsersOf(member: SignallingMember) {
  if (!member.media) return [];
  return publishedUserList(member.media.server.publications(member.media.room), tinyIdOf).filter(
    (user) => user.userId !== member.userId,
  );
}

/** Sends to the member's current socket, or holds the frame while its join is answered. */
function sendTo(member: SignallingMember, frame: ServerFrame): void {
  if (member.held && frame.cmd !== SERVER_CMD.JOIN_ROOM_RESULT) member.held.push(frame);
  else if (member.socket.readyState === member.socket.OPEN) member.socket.send(JSON.stringify(frame));
}

/** One socket opened on one of the SDKs' paths. */
export class SignallingChannel implements SignallingChannelApi {
  /** The client this socket speaks for: replaced by the earlier member when it takes one over. */
  private member: SignallingMember;
  private readonly tinyId: string;

  constructor(
    private readonly rooms: SignallingRooms,
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    readonly dialect: SignallingDialect,
  ) {
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
    this.member = {
      socket,
      dialect,
      sdkAppId: Number(query.get('sdkAppId')),
      userId: query.get('userId') ?? '',
      userSig: query.get('userSig') ?? '',
      membership: null,
      held: null,
      moving: false,
      media: null,
      stopPublications: null,
      session: 0,
    };
    this.tinyId = tinyIdOf(this.member.userId);
    // The welcome: the SDK takes its tinyId and the server's clock from it.
    this.send(
      serverFrame(
        SERVER_CMD.CHANNEL_SETUP_RESULT,
        { clientIp: request.socket.remoteAddress ?? '', signalInnerIp: '127.0.0.1', svrTime: Date.now() },
        { tinyId: this.tinyId },
      ),
    );
    // trtc-js-sdk reconnects on a fresh socket with `&rc=1&roomId=…` and sends nothing: it waits for this result.
    if (query.get('rc') === '1')
      this.reconnect(
        undefined,
        roomIdOf({ useStringRoomId: query.get('useStringRoomId') === 'true', roomId: query.get('roomId') }),
        Number(query.get('relayPort')),
      );
    socket.on('message', (raw, isBinary) => this.receive(isBinary ? '' : raw.toString()));
    socket.on('close', () => {
      // A socket that closes without a leave keeps its member for the drop timeout: the SDK reconnects.
      if (this.member.socket === socket && this.member.membership) rooms.hooks.drop(this.member.membership);
    });
  }

  get userId(): string {
    return this.member.userId;
  }

  /** Who this socket speaks for, as far as known (the room once it joined or asked to reconnect): what a drop looks at. */
  get subject(): FaultSubject {
    const { sdkAppId, userId, membership } = this.member;
    return { sdkAppId, userId, ...(membership ? { roomId: membership.roomId } : {}) };
  }

  /** True (and the socket cut, as a network that is down) if a drop covers this client in `roomId`. */
  private cutByFault(roomId: RoomId): boolean {
    const { sdkAppId, userId } = this.member;
    if (!this.rooms.hooks.faults?.isDropped({ sdkAppId, roomId, userId })) return false;
    this.socket.terminate();
    return true;
  }

  get media(): ChannelMedia | null {
    return this.member.media;
  }

  publishedUsers() {
    return publishedUsersOf(this.member);
  }

  get membership(): Membership | null {
    return this.member.membership;
  }

  log(line: string): void {
    this.rooms.hooks.log(line);
  }

  send(frame: ServerFrame): void {
    sendTo(this.member, frame);
  }

  refuse(frame: CommandFrame, resultCmd: number | string, text: string): void {
    this.send(serverFrame(resultCmd, {}, { seq: frame.seq, code: EMULATOR_REFUSAL_CODE, message: text }));
  }

  markMoving(): void {
    this.member.moving = true;
  }

  get spc(): SpcMediaServer {
    return this.rooms.spc;
  }

  get spcRoom(): string | null {
    return this.member.membership ? spcRoomOf(this.member.membership) : null;
  }

  publishedList(): ServerFrame {
    const room = this.spcRoom;
    return serverFrame(SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, { userList: room ? this.rooms.spc.publishers(room) : [] });
  }

  /** trtc-sdk-v5's single peer connection: the server's ability for the join result, or none (then it uses separate ones). */
  private async spcAbility(cmd: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const room = this.spcRoom;
    if (cmd !== 'join/v2' || !room) return {};
    try {
      return { ability: await this.rooms.spc.join(room, this.member.userId, this.tinyId, data.ability) };
    } catch (error) {
      this.log(
        `${quote(this.member.userId)} (${this.dialect.sdk}): no single peer connection: ${error instanceof Error ? error.message : String(error)}`,
      );
      return {};
    }
  }

  usersInRoom() {
    const { membership } = this.member;
    if (!membership) return [];
    const room = this.rooms.hooks.service
      .snapshot()
      .find((r) => r.sdkAppId === membership.sdkAppId && r.roomId === membership.roomId);
    return (room?.members ?? []).map((userId) => ({ userId, srcTinyId: tinyIdOf(userId), role: ANCHOR }));
  }

  /** One text frame from the SDK: answered by its command's entry of the table. */
  receive(text: string): void {
    let message: ClientFrame;
    try {
      message = JSON.parse(text);
      if (typeof message?.cmd !== 'string') throw new Error('no cmd');
    } catch {
      this.log(`${this.dialect.sdk}: a frame that is not the SDK's JSON ({ cmd, data, seq }) was ignored`);
      return;
    }
    const frame: CommandFrame = {
      cmd: message.cmd,
      seq: message.seq,
      data: typeof message.data === 'object' && message.data !== null ? message.data : {},
    };
    const command = this.rooms.commandsOf(this.dialect).get(frame.cmd);
    if (command) {
      void command(this, frame);
      return;
    }
    if (this.rooms.firstUnknown(this.dialect, frame.cmd))
      this.log(
        `${this.dialect.sdk}: unknown command ${JSON.stringify(frame.cmd)}, answered with an error (logged once)`,
      );
    this.refuse(
      frame,
      frame.cmd,
      `The trtc-room emulator does not know the command "${frame.cmd}" (it serves ${this.dialect.sdk}'s signalling).`,
    );
  }

  /** The service reaches the member through its current socket. */
  private sinkFor(member: SignallingMember): MemberSink {
    const { rooms, dialect } = this;
    return {
      removed: (reason) => {
        if (member.membership && (member.moving || member.socket.readyState !== member.socket.OPEN))
          rooms.holdBan(member, member.membership.roomId, reason);
        // Out of the room: a pending removal for its dropped socket has nothing left to remove.
        if (member.membership) rooms.hooks.undrop(member.membership);
        rooms.forget(member);
        this.log(`${quote(member.userId)} (${dialect.sdk}) removed: ${quote(reason)}`);
        sendTo(member, serverFrame(SERVER_CMD.CLIENT_BANNED, { reason: reasonForSdk[reason] }));
      },
      peerJoin: (userId) =>
        sendTo(member, serverFrame(SERVER_CMD.PEER_JOIN, { srcTinyId: tinyIdOf(userId), userId, role: ANCHOR })),
      peerLeave: (userId) =>
        sendTo(member, serverFrame(SERVER_CMD.PEER_LEAVE, { srcTinyId: tinyIdOf(userId), userId, reason: 0 })),
    };
  }

  /** A ban that found this client between sockets: the rejoin or reconnection succeeds, then the ban is delivered. */
  private banInTransit(roomId: RoomId, answer: () => void, session?: number): boolean {
    const reason = this.rooms.takeBan(this.member, roomId, session);
    if (reason === undefined) return false;
    answer();
    this.log(`${quote(this.member.userId)} (${this.dialect.sdk}) removed while reconnecting: ${quote(reason)}`);
    this.send(serverFrame(SERVER_CMD.CLIENT_BANNED, { reason: reasonForSdk[reason] }));
    return true;
  }

  reconnect(seq: number | undefined, roomId: RoomId, session?: number): void {
    if (this.cutByFault(roomId)) return;
    const reconnected = () =>
      this.send(
        serverFrame(
          SERVER_CMD.CHANNEL_RECONNECT_RESULT,
          { clientIp: this.request.socket.remoteAddress ?? '', signalInnerIp: '127.0.0.1' },
          { seq },
        ),
      );
    if (this.banInTransit(roomId, reconnected, session)) return;
    const earlier = this.rooms.takeOver(this.socket, this.member, roomId, 'reconnect', session);
    if (earlier) {
      this.member = earlier;
      reconnected();
      return;
    }
    // A failed reconnection makes the SDK join again.
    this.send(
      serverFrame(
        SERVER_CMD.CHANNEL_RECONNECT_RESULT,
        {},
        {
          seq,
          code: EMULATOR_REFUSAL_CODE,
          message: 'The emulator has no session to resume on this connection; join again.',
        },
      ),
    );
  }

  async join({ cmd, seq, data }: CommandFrame): Promise<void> {
    const { dialect, rooms, socket, tinyId } = this;
    const roomId = roomIdOf(data);
    if (this.cutByFault(roomId)) return;
    const answer = (code: number, message: string, extra: Record<string, unknown> = {}) =>
      this.send(serverFrame(SERVER_CMD.JOIN_ROOM_RESULT, extra, { seq, code, message, tinyId }));
    const { media } = rooms.hooks;
    const joinResult = async () => ({
      // A trtc-sdk-v5 member on its single peer connection hears of the SPC server's publishers; any other, of the
      // media server's (the two do not forward to each other yet: docs/real-sdks.md).
      publishers: this.spcRoom
        ? rooms.spc.publishers(this.spcRoom)
        : media
          ? publishedUserList(media.publications(mediaRoomKey(this.member.sdkAppId, roomId)), tinyIdOf).filter(
              (user) => user.userId !== this.member.userId,
            )
          : [],
      relayOuterIp: '127.0.0.1',
      relayInnerIp: '127.0.0.1',
      relayPort: this.member.session,
      ...dialect.joinResultData(data),
      ...(await this.spcAbility(cmd, data)),
    });
    if (this.member.membership) {
      answer(EMULATOR_REFUSAL_CODE, 'This connection is already in a room; the SDK joins once per connection.');
      return;
    }
    const rejoin = dialect.rejoinCommands.includes(cmd);
    if (rejoin && this.banInTransit(roomId, () => answer(0, '', {}))) return;
    const earlier = rooms.takeOver(socket, this.member, roomId, rejoin ? 'rejoin' : 'join');
    if (earlier) {
      this.member = earlier;
      answer(0, '', await joinResult());
      return;
    }
    // Pushes wait until the join's answer is sent, so the SDK knows it joined before it hears of peers.
    const member = this.member;
    member.held = [];
    try {
      const membership = await rooms.hooks.service.join(
        { sdkAppId: member.sdkAppId, roomId, userId: member.userId, userSig: member.userSig },
        this.sinkFor(member),
      );
      this.member.membership = membership;
      rooms.remember(this.member, roomId);
      this.log(
        `${quote(this.member.userId)} joined room ${quote(roomId)} of app ${quote(this.member.sdkAppId)} (${dialect.sdk})`,
      );
      const result = await joinResult();
      const held = this.member.held;
      this.member.held = null;
      answer(0, '', result);
      for (const push of held ?? []) this.send(push);
      if (socket.readyState !== socket.OPEN) rooms.hooks.drop(membership);
    } catch (error) {
      this.member.held = null;
      const message = error instanceof Error ? error.message : String(error);
      this.log(`${quote(this.member.userId)} could not join (${dialect.sdk}): ${message}`);
      answer(EMULATOR_REFUSAL_CODE, message);
    }
  }

  leave(): void {
    const { membership } = this.member;
    if (!membership) return;
    this.rooms.forget(this.member);
    this.log(
      `${quote(this.member.userId)} left room ${quote(membership.roomId)} of app ${quote(membership.sdkAppId)} (${this.dialect.sdk})`,
    );
    this.rooms.hooks.service.leave(membership);
  }
}
