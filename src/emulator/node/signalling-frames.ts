/**
 * What both SDK generations' signalling share, below signalling.ts and the dialects (signalling-v4.ts,
 * signalling-v5.ts): the envelope (JSON text frames; client `{ cmd: string, data, userId, tinyId, seq }`, server
 * `{ cmd: number, seq, code, message, tinyId, data }`), the server command numbers, the dialect's shape and the
 * shape of one command of the channel's table (signalling-channel.ts).
 */
import type { ChannelMedia } from './media/channel-media.js';
import type { Membership, RoomId } from '../core/room-service.js';
import type { SpcMediaServer } from './media/spc-v5.js';

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
export const ANCHOR = 20;
/** Where the SDKs' quality reports (`loggerProxy`) are sunk: any request under it gets 204. */
export const LOGGER_PATH = '/sdk-log';

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

/** A server frame with code 0 and an empty message unless `extra` says otherwise. */
export const serverFrame = (
  cmd: number | string,
  data: Record<string, unknown> = {},
  extra: Partial<ServerFrame> = {},
): ServerFrame => ({ cmd, code: 0, message: '', data, ...extra });

/** The tinyId the emulator gives a user (the SDKs key their remote users by it). */
export const tinyIdOf = (userId: string) => `emu-${userId}`;

/** A client frame as a command of the table receives it: `data` is always an object. */
export interface CommandFrame {
  cmd: string;
  seq: number | undefined;
  data: Record<string, unknown>;
}

/** What a command of the table may do on the socket it came from (signalling-channel.ts implements it). */
export interface SignallingChannelApi {
  readonly dialect: SignallingDialect;
  readonly userId: string;
  /** The connection's media (media/channel-media.ts), once joined to a room; null before, or without a media server. */
  readonly media: ChannelMedia | null;
  /** cmd 23's list for this client: everyone else in its room who publishes (a full snapshot). */
  publishedUsers(): { userId: string; srcTinyId: string; flag: number }[];
  /** The room service's membership of this client, once joined. */
  readonly membership: Membership | null;
  send(frame: ServerFrame): void;
  /** Answers `frame` with `resultCmd` and the emulator's refusal code. */
  refuse(frame: CommandFrame, resultCmd: number | string, text: string): void;
  log(line: string): void;
  join(frame: CommandFrame): Promise<void>;
  leave(): void;
  /** `session`: the relayPort the SDK echoes from its join result, which names the client (signalling-channel.ts). */
  reconnect(seq: number | undefined, roomId: RoomId, session?: number): void;
  usersInRoom(): { userId: string; srcTinyId: string; role: number }[];
  /** The SDK is about to move to a fresh socket (trtc-sdk-v5 after a refused `rebuild_pc`). */
  markMoving(): void;
  /** trtc-sdk-v5's single-peer-connection media (media/spc-v5.ts), shared by every socket. */
  readonly spc: SpcMediaServer;
  /** The key of the member's room in `spc`, once joined. */
  readonly spcRoom: string | null;
  /** The room's published-user list as cmd 23 (a full snapshot). */
  publishedList(): ServerFrame;
}

/** One entry of the channel's command table: answers one client command. */
export type SignallingCommand = (channel: SignallingChannelApi, frame: CommandFrame) => void | Promise<void>;

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
  /**
   * Commands this dialect answers itself: they take precedence over every other entry of the table (the media
   * server's commands go here, replacing their refusal).
   */
  readonly commands?: Readonly<Record<string, SignallingCommand>>;
  /** What the join's answer carries besides `publishers` and the relay fields. */
  joinResultData(join: Record<string, unknown>): Record<string, unknown>;
  /** A frame after a heartbeat (`quality_report`), for an SDK that needs traffic to think itself online. */
  heartbeatAnswer?(): Omit<ServerFrame, 'seq'>;
  /** `GET /proxy`'s value for this SDK: what to give its proxy setting. */
  proxy(urls: { webSocketBase: string; httpBase: string }): SdkProxySetting;
}

/** What to give one SDK's proxy setting. */
export interface SdkProxySetting {
  websocketProxy: string;
  loggerProxy: string;
}

/** `GET /proxy`: `v4` for trtc-js-sdk's `client.setProxyServer()`, `v5` for trtc-sdk-v5's `enterRoom({ proxy })`. */
export interface SdkProxySettings {
  v4: SdkProxySetting;
  v5: SdkProxySetting;
}
