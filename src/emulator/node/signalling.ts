/**
 * The unmodified TRTC Web SDKs' signalling, served by the networked emulator over the room service (the one
 * source of truth the emulated SDKs' `/trtc` endpoint also uses). Both SDK generations speak the same envelope
 * (JSON text frames; client `{ cmd: string, data, userId, tinyId, seq }`, server `{ cmd: number, seq, code,
 * message, tinyId, data }`) and the same core commands; signalling-v4.ts and signalling-v5.ts hold what each
 * generation says differently. docs/real-sdks.md is the user's page; the commands are described where they
 * are answered. No media: commands that need a media server are refused in the SDK's own result shape.
 */
import { quote } from './log-text.js';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Membership, MemberSink, RemovalReason, RoomId, RoomService } from '../core/room-service.js';
import { trtcJsSdkSignalling } from './signalling-v4.js';
import { trtcSdkV5Signalling } from './signalling-v5.js';

/** Server → client command numbers both generations share (trtc-js-sdk `Go`, trtc-sdk-v5 `zt`). */
export const SERVER_CMD = {
  CLIENT_BANNED: 9,
  CHANNEL_SETUP_RESULT: 19,
  JOIN_ROOM_RESULT: 20,
  UPDATE_REMOTE_MUTE_STAT: 23,
  CHANNEL_RECONNECT_RESULT: 514,
  PEER_JOIN: 4134,
  PEER_LEAVE: 4135,
  USER_LIST_RES: 4137,
} as const;

/** The server code of every refusal the emulator answers (a join it refuses, a command it does not serve). */
export const EMULATOR_REFUSAL_CODE = -1;
/** `trtcRole` in the SDKs' join data and user lists: anchor 20, audience 21. */
const ANCHOR = 20;

/** What the SDK sends in a frame. */
export interface ClientFrame {
  cmd: string;
  data?: Record<string, unknown>;
  seq?: number;
  tinyId?: string;
}

export interface ServerFrame {
  cmd: number | string;
  seq?: number;
  code: number;
  message: string;
  tinyId?: string;
  data: Record<string, unknown>;
}

/** One SDK generation's signalling, as far as it differs from the other's. */
export interface SignallingDialect {
  /** The WebSocket path, e.g. `/signal/v4`. */
  readonly path: string;
  /** `GET /proxy`'s key: `v4` or `v5`. */
  readonly key: 'v4' | 'v5';
  /** The SDK package and the version whose code this was read from and tested with. */
  readonly sdk: string;
  /** The commands that join a room. */
  readonly joinCommands: readonly string[];
  /** Join commands only a client already in the room sends (its rejoin on a fresh socket), never a first join. */
  readonly rejoinCommands: readonly string[];
  /** Commands that take no answer. */
  readonly unanswered: readonly string[];
  /** Commands that need a media server, with the result command the SDK waits for: refused there. */
  readonly refused: Readonly<Record<string, number>>;
  /** Commands answered with success and no data: the result command. */
  readonly acknowledged: Readonly<Record<string, number>>;
  /** What the join's answer carries besides `publishers` and the relay fields. */
  joinResultData(join: Record<string, unknown>): Record<string, unknown>;
  /** A frame after a heartbeat (`quality_report`), for an SDK that needs traffic to think itself online. */
  heartbeatAnswer?(): Omit<ServerFrame, 'seq'>;
  /** `GET /proxy`'s value for this SDK: what to give its proxy setting. */
  proxy(urls: { webSocketBase: string; httpBase: string }): { websocketProxy: string; loggerProxy: string };
}

export const SIGNALLING_DIALECTS: readonly SignallingDialect[] = [trtcJsSdkSignalling, trtcSdkV5Signalling];
/** Where the SDKs' quality reports (`loggerProxy`) are sunk: any request under it gets 204. */
export const LOGGER_PATH = '/sdk-log';

/** `GET /proxy`: `v4` for trtc-js-sdk's `client.setProxyServer()`, `v5` for trtc-sdk-v5's `enterRoom({ proxy })`. */
export interface SdkProxySettings {
  v4: { websocketProxy: string; loggerProxy: string };
  v5: { websocketProxy: string; loggerProxy: string };
}

export interface SdkSignallingHooks {
  service: RoomService;
  log(line: string): void;
  /** The member's socket closed without a leave: remove it after the drop timeout unless it comes back. */
  drop(membership: Membership): void;
  /** The member came back: cancel its pending removal. False if it was no longer pending (already removed). */
  undrop(membership: Membership): boolean;
}

export interface SdkSignalling {
  /** Whether the upgrade request is for one of the SDKs' paths. */
  handles(request: IncomingMessage): boolean;
  /** Serves a socket opened on one of the SDKs' paths; false if the path is not one. */
  serve(socket: WebSocket, request: IncomingMessage): boolean;
  /** `GET /proxy`: for each generation, the value for its proxy setting. */
  proxy(httpBase: string): SdkProxySettings;
}

const reasonForSdk: Record<RemovalReason, string> = { kick: 'kick', banned: 'banned', 'room-disband': 'room_disband' };
const tinyIdOf = (userId: string) => `emu-${userId}`;
const pathOf = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://emulator').pathname;

/** One client's signalling: its socket may change (a reconnect) while its membership stays. */
interface Channel {
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
}

export function createSdkSignalling(hooks: SdkSignallingHooks): SdkSignalling {
  const { service, log } = hooks;
  const byPath = new Map(SIGNALLING_DIALECTS.map((dialect) => [dialect.path, dialect]));
  /** Joined channels by dialect, app, room and user: how a reconnect or a rejoin after a dropped socket finds its membership. */
  const joined = new Map<string, Channel>();
  const loggedUnknown = new Set<string>();
  /**
   * Removals that found the client between sockets (its old one closing, its new one not joined yet), by the
   * same key: delivered when it reconnects or rejoins, so a ban is never lost to a reconnection.
   */
  const bansInTransit = new Map<string, { reason: RemovalReason; until: number }>();
  const keyOf = (dialect: SignallingDialect, sdkAppId: number, roomId: RoomId, userId: string) =>
    JSON.stringify([dialect.key, sdkAppId, typeof roomId, roomId, userId]);

  const send = (channel: Channel, frame: ServerFrame) => {
    if (channel.held && frame.cmd !== SERVER_CMD.JOIN_ROOM_RESULT) channel.held.push(frame);
    else if (channel.socket.readyState === channel.socket.OPEN) channel.socket.send(JSON.stringify(frame));
  };
  const frame = (
    cmd: number | string,
    data: Record<string, unknown> = {},
    extra: Partial<ServerFrame> = {},
  ): ServerFrame => ({ cmd, code: 0, message: '', data, ...extra });

  function usersOf(membership: Membership) {
    const room = service.snapshot().find((r) => r.sdkAppId === membership.sdkAppId && r.roomId === membership.roomId);
    return (room?.members ?? []).map((userId) => ({ userId, srcTinyId: tinyIdOf(userId), role: ANCHOR }));
  }

  /** The service reaches the member through its channel's current socket. */
  function sinkFor(channel: Channel): MemberSink {
    return {
      removed(reason) {
        if (channel.membership && (channel.moving || channel.socket.readyState !== channel.socket.OPEN)) {
          bansInTransit.set(keyOf(channel.dialect, channel.sdkAppId, channel.membership.roomId, channel.userId), {
            reason,
            until: Date.now() + 60_000,
          });
        }
        forget(channel);
        log(`${quote(channel.userId)} (${channel.dialect.sdk}) removed: ${quote(reason)}`);
        send(channel, frame(SERVER_CMD.CLIENT_BANNED, { reason: reasonForSdk[reason] }));
      },
      peerJoin: (userId) =>
        send(channel, frame(SERVER_CMD.PEER_JOIN, { srcTinyId: tinyIdOf(userId), userId, role: ANCHOR })),
      peerLeave: (userId) =>
        send(channel, frame(SERVER_CMD.PEER_LEAVE, { srcTinyId: tinyIdOf(userId), userId, reason: 0 })),
    };
  }

  function forget(channel: Channel): void {
    if (channel.membership) {
      const key = keyOf(channel.dialect, channel.sdkAppId, channel.membership.roomId, channel.userId);
      if (joined.get(key) === channel) joined.delete(key);
    }
    channel.membership = null;
  }

  /**
   * A joined channel of the same client that this socket may take over: on the SDK's reconnection (v4
   * `&rc=1`, v5 `reconnect`: its own session, whatever the server still thinks of the old socket), or on a
   * join once the old socket is gone or announced its move (v5's fallback rejoin). Another page with the same
   * userId joins while the earlier socket is open, and kicks it.
   */
  function takeOver(
    socket: WebSocket,
    dialect: SignallingDialect,
    sdkAppId: number,
    roomId: RoomId,
    userId: string,
    userSig: string,
    how: 'reconnect' | 'rejoin' | 'join',
  ): Channel | undefined {
    const key = keyOf(dialect, sdkAppId, roomId, userId);
    const earlier = joined.get(key);
    if (!earlier || earlier.socket === socket || earlier.userSig !== userSig) return undefined;
    const open = earlier.socket.readyState === earlier.socket.OPEN;
    if (open && how === 'join') return undefined;
    if (open && how === 'rejoin' && !earlier.moving) return undefined;
    if (
      !earlier.membership ||
      (!hooks.undrop(earlier.membership) && earlier.socket.readyState === earlier.socket.CLOSED)
    ) {
      joined.delete(key);
      return undefined;
    }
    // The old socket, if the server still holds it, is the client's own past: closed, so nothing goes there.
    if (open) earlier.socket.terminate();
    earlier.socket = socket;
    earlier.moving = false;
    log(`${quote(userId)} (${dialect.sdk}) reconnected to room ${quote(roomId)}`);
    return earlier;
  }

  function serve(socket: WebSocket, request: IncomingMessage): boolean {
    const dialect = byPath.get(pathOf(request));
    if (!dialect) return false;
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
    let channel: Channel = {
      socket,
      dialect,
      sdkAppId: Number(query.get('sdkAppId')),
      userId: query.get('userId') ?? '',
      userSig: query.get('userSig') ?? '',
      membership: null,
      held: null,
      moving: false,
    };
    const tinyId = tinyIdOf(channel.userId);
    // The welcome: the SDK takes its tinyId and the server's clock from it.
    send(
      channel,
      frame(
        SERVER_CMD.CHANNEL_SETUP_RESULT,
        { clientIp: request.socket.remoteAddress ?? '', signalInnerIp: '127.0.0.1', svrTime: Date.now() },
        { tinyId },
      ),
    );

    // trtc-js-sdk reconnects on a fresh socket with `&rc=1&roomId=…` and sends nothing: it waits for this result.
    if (query.get('rc') === '1')
      reconnect(
        undefined,
        query.get('useStringRoomId') === 'true' ? (query.get('roomId') ?? '') : Number(query.get('roomId')),
      );

    /** A ban that found this client between sockets: the rejoin or reconnection succeeds, then the ban is delivered. */
    function banInTransit(roomId: RoomId, answer: () => void): boolean {
      const key = keyOf(dialect!, channel.sdkAppId, roomId, channel.userId);
      const ban = bansInTransit.get(key);
      if (!ban) return false;
      bansInTransit.delete(key);
      if (ban.until < Date.now()) return false;
      answer();
      log(`${quote(channel.userId)} (${dialect!.sdk}) removed while reconnecting: ${quote(ban.reason)}`);
      send(channel, frame(SERVER_CMD.CLIENT_BANNED, { reason: reasonForSdk[ban.reason] }));
      return true;
    }

    function reconnect(seq: number | undefined, roomId: RoomId): void {
      const reconnected = () =>
        send(
          channel,
          frame(
            SERVER_CMD.CHANNEL_RECONNECT_RESULT,
            { clientIp: request.socket.remoteAddress ?? '', signalInnerIp: '127.0.0.1' },
            { seq },
          ),
        );
      if (banInTransit(roomId, reconnected)) return;
      const earlier = takeOver(
        socket,
        dialect!,
        channel.sdkAppId,
        roomId,
        channel.userId,
        channel.userSig,
        'reconnect',
      );
      if (earlier) {
        channel = earlier;
        reconnected();
        return;
      }
      // A failed reconnection makes the SDK join again.
      send(
        channel,
        frame(
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

    async function join(cmd: string, seq: number | undefined, data: Record<string, unknown>): Promise<void> {
      const stringRoom = data.useStringRoomId === true;
      const roomId: RoomId = stringRoom ? String(data.roomId ?? '') : Number(data.roomId);
      const answer = (code: number, message: string, extra: Record<string, unknown> = {}) =>
        send(channel, frame(SERVER_CMD.JOIN_ROOM_RESULT, extra, { seq, code, message, tinyId }));
      const joinResult = () => ({
        publishers: [],
        relayOuterIp: '127.0.0.1',
        relayInnerIp: '127.0.0.1',
        relayPort: 0,
        ...dialect!.joinResultData(data),
      });
      if (channel.membership) {
        answer(EMULATOR_REFUSAL_CODE, 'This connection is already in a room; the SDK joins once per connection.');
        return;
      }
      const rejoin = dialect!.rejoinCommands.includes(cmd);
      if (rejoin && banInTransit(roomId, () => answer(0, '', joinResult()))) return;
      const earlier = takeOver(
        socket,
        dialect!,
        channel.sdkAppId,
        roomId,
        channel.userId,
        channel.userSig,
        rejoin ? 'rejoin' : 'join',
      );
      if (earlier) {
        channel = earlier;
        answer(0, '', joinResult());
        return;
      }
      // Pushes wait until the join's answer is sent, so the SDK knows it joined before it hears of peers.
      channel.held = [];
      try {
        const membership = await service.join(
          { sdkAppId: channel.sdkAppId, roomId, userId: channel.userId, userSig: channel.userSig },
          sinkFor(channel),
        );
        channel.membership = membership;
        joined.set(keyOf(dialect!, channel.sdkAppId, roomId, channel.userId), channel);
        log(
          `${quote(channel.userId)} joined room ${quote(roomId)} of app ${quote(channel.sdkAppId)} (${dialect!.sdk})`,
        );
        const held = channel.held;
        channel.held = null;
        answer(0, '', joinResult());
        for (const push of held ?? []) send(channel, push);
        if (socket.readyState !== socket.OPEN) hooks.drop(membership);
      } catch (error) {
        channel.held = null;
        const message = error instanceof Error ? error.message : String(error);
        log(`${quote(channel.userId)} could not join (${dialect!.sdk}): ${message}`);
        answer(EMULATOR_REFUSAL_CODE, message);
      }
    }

    function leave(): void {
      const { membership } = channel;
      if (!membership) return;
      forget(channel);
      log(
        `${quote(channel.userId)} left room ${quote(membership.roomId)} of app ${quote(membership.sdkAppId)} (${dialect!.sdk})`,
      );
      service.leave(membership);
    }

    function refuse(message: ClientFrame, resultCmd: number | string, text: string): void {
      send(channel, frame(resultCmd, {}, { seq: message.seq, code: EMULATOR_REFUSAL_CODE, message: text }));
    }

    socket.on('message', (raw, isBinary) => {
      let message: ClientFrame;
      try {
        message = JSON.parse(isBinary ? '' : raw.toString());
        if (typeof message?.cmd !== 'string') throw new Error('no cmd');
      } catch {
        log(`${dialect.sdk}: a frame that is not the SDK's JSON ({ cmd, data, seq }) was ignored`);
        return;
      }
      const { cmd, seq } = message;
      const data = typeof message.data === 'object' && message.data !== null ? message.data : {};
      if (dialect.joinCommands.includes(cmd)) void join(cmd, seq, data);
      else if (cmd === 'leave') leave();
      else if (cmd === 'get_user_list') {
        send(
          channel,
          frame(SERVER_CMD.USER_LIST_RES, { userList: channel.membership ? usersOf(channel.membership) : [] }, { seq }),
        );
      } else if (cmd === 'quality_report') {
        const answer = dialect.heartbeatAnswer?.();
        if (answer) send(channel, { ...answer });
      } else if (cmd === 'reconnect') {
        // trtc-sdk-v5 reconnects with a command on the fresh socket; its frame names the room it was in.
        const roomId: RoomId = data.useStringRoomId === true ? String(data.roomId ?? '') : Number(data.roomId);
        reconnect(seq, roomId);
      } else if (dialect.unanswered.includes(cmd)) {
        // Needs no answer.
      } else if (Object.hasOwn(dialect.acknowledged, cmd)) {
        send(channel, frame(dialect.acknowledged[cmd]!, {}, { seq }));
      } else if (Object.hasOwn(dialect.refused, cmd)) {
        // trtc-sdk-v5 answers a refused rebuild by rejoining on a fresh socket.
        if (cmd === 'rebuild_pc') channel.moving = true;
        log(
          `${quote(channel.userId)} (${dialect.sdk}): ${quote(cmd)} refused: the emulator serves rooms, users and forced exits, not media`,
        );
        refuse(
          message,
          dialect.refused[cmd]!,
          `The trtc-room emulator does not serve "${cmd}": it serves joining, user lists and forced exits, not media (no media server to publish to or subscribe from).`,
        );
      } else {
        if (!loggedUnknown.has(`${dialect.key}/${cmd}`)) {
          loggedUnknown.add(`${dialect.key}/${cmd}`);
          log(`${dialect.sdk}: unknown command ${JSON.stringify(cmd)}, answered with an error (logged once)`);
        }
        refuse(
          message,
          cmd,
          `The trtc-room emulator does not know the command "${cmd}" (it serves ${dialect.sdk}'s signalling).`,
        );
      }
    });
    socket.on('close', () => {
      // A socket that closes without a leave keeps its member for the drop timeout: the SDK reconnects.
      if (channel.socket === socket && channel.membership) hooks.drop(channel.membership);
    });
    return true;
  }

  return {
    handles: (request) => byPath.has(pathOf(request)),
    serve,
    proxy(httpBase) {
      const webSocketBase = httpBase.replace(/^http/, 'ws');
      const urls = { webSocketBase, httpBase };
      return { v4: trtcJsSdkSignalling.proxy(urls), v5: trtcSdkV5Signalling.proxy(urls) };
    },
  };
}
