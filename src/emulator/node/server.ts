/**
 * The networked TRTC emulator (Node only): one HTTP server with
 * - a WebSocket endpoint (`/trtc`) for emulated SDK clients in pages (`connectTrtcEmulator` from
 *   `trtc-room/testing`), one socket per client's stay in a room;
 * - Tencent Cloud API 3.0 (`POST /`) for RemoveUser, RemoveUserByStrRoomId, DismissRoom and
 *   DismissRoomByStrRoomId, signed with TC3-HMAC-SHA256, so Tencent's own server SDKs work against it;
 * - a read-only JSON view of the rooms (`GET /rooms`) for demos;
 * - the unmodified TRTC Web SDKs' signalling (`/signal/v4`, `/signal/v5`; `GET /proxy` says what to give their
 *   proxy settings), in signalling.ts.
 * It answers only requests naming its own host, and pages from its own origin or allowed ones
 * (local-origin-policy.ts); docs/security.md says what it exposes and to whom.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { RoomService, type Membership, type RoomId } from '../core/room-service.js';
import { checkRestart, FaultBoard, targets, type EmulatorFaults, type FaultSubject } from '../core/faults.js';
import { EMULATOR_WEBSOCKET_PATH } from '../core/wire-protocol.js';
import { CloudApi } from './cloud-api.js';
import { DroppedMembers } from './dropped-members.js';
import { answerHttp, refusalOf, type HttpRoutesContext } from './http-routes.js';
import { createLocalOriginPolicy, exposureWarning, normalizeOrigin } from './local-origin-policy.js';
import { escapeControlCharacters, quote } from './log-text.js';
import { createMediaHub } from './media-hub.js';
import { createMediaServer, type MediaServer } from './media/media-server.js';
import { createMediaCarriers } from './media/media-carriers.js';
import { MemberSocket } from './member-socket.js';
import { createSdkSignalling, type SdkProxySettings } from './signalling.js';
import { roomIdOf } from './signalling-commands.js';

export interface EmulatorServerOptions {
  /** Default 0: any free port (read it from the result). */
  port?: number;
  /** Default 127.0.0.1: only this machine can reach it. Any other address prints a warning (see `warn`). */
  host?: string;
  /**
   * Origins of other pages that may open WebSockets and send requests that change state, e.g.
   * `http://localhost:5173` for an app's dev server. Default none: only pages served by this server itself.
   * Requests without an Origin header (Node clients, Tencent's SDKs) are always allowed.
   */
  allowedOrigins?: readonly string[];
  /** Host names requests may name besides localhost, 127.0.0.1, [::1] and `host` (each with the port). */
  allowedHosts?: readonly string[];
  /** Receives the warning when `host` is not a loopback address; default console.warn. */
  warn?: (message: string) => void;
  /** The Tencent Cloud API SecretId that signs admin requests; random if not given. */
  secretId?: string;
  /** The Tencent Cloud API SecretKey that signs admin requests; random if not given. */
  secretKey?: string;
  /** The TRTC application's secret key: when given, every join's userSig must be a valid TLS v2 signature. */
  appSecretKey?: string;
  /** How long a member whose connection dropped stays in its room; default 90 s, as TRTC's service. */
  dropTimeoutMs?: number;
  /** The SDKAppIDs that exist; joins and API calls for others are refused. Default [1400000001]. */
  sdkAppIds?: readonly number[];
  /** How long an empty live room whose last member was audience is kept; default 10 minutes. */
  liveRoomRetentionMs?: number;
  /** How often silent connections are pinged (and dropped if the last ping went unanswered); default 30 s. */
  heartbeatMs?: number;
  /**
   * How many members (one per user per room) may carry media through the emulator's media servers at once, counted
   * per server: trtc-js-sdk's (default 8) and trtc-sdk-v5's single peer connections (default 16). A trtc-sdk-v5
   * member past it gets no single peer connection, so the SDK falls back to separate ones, whose publish is refused
   * with a sentence saying why; a trtc-js-sdk member past it has its publish or subscribe refused.
   */
  maxMediaMembers?: number;
  /** Receives one line per join, leave, drop and API call; default silent. */
  log?: (line: string) => void;
  /**
   * Sees every HTTP request first, to serve more from the same origin (a demo page, say): resolve `true` once
   * it has answered, `false` to leave the request to the emulator.
   */
  handleRequest?: (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;
}

export interface EmulatorCredentials {
  secretId: string;
  secretKey: string;
}

/** A room as `GET /rooms` shows it: `disconnected` lists members whose connection dropped and who will be removed. */
export interface EmulatorRoomView {
  sdkAppId: number;
  roomId: RoomId;
  members: string[];
  disconnected: string[];
}

export interface EmulatorServer {
  /** The HTTP base URL, e.g. `http://127.0.0.1:8090`. */
  readonly url: string;
  /** The WebSocket URL for `connectTrtcEmulator`, e.g. `ws://127.0.0.1:8090/trtc`. */
  readonly webSocketUrl: string;
  /** The endpoint to give a Tencent Cloud SDK (`profile.httpProfile.endpoint`, with protocol `http://`). */
  readonly apiEndpoint: string;
  readonly host: string;
  readonly port: number;
  /** The SecretId/SecretKey that sign Tencent Cloud API requests to this server. */
  readonly credentials: EmulatorCredentials;
  /** What to give the real SDKs' proxy settings (`GET /proxy`): v4 `client.setProxyServer(proxy.v4)`, v5 `enterRoom({ proxy: proxy.v5 })`. */
  readonly proxy: SdkProxySettings;
  /** The room service behind both sides. */
  readonly service: RoomService;
  /** The media server for the real SDKs (src/emulator/node/media/). */
  readonly media: MediaServer;
  /** Network faults: drop connections, refuse joins, degrade media, restart (docs/emulator.md#faults); also `POST /faults`. */
  readonly faults: EmulatorFaults;
  /** Every room, its members, and which of them are disconnected. */
  rooms(): EmulatorRoomView[];
  /** Stops listening, closes every connection and forgets pending drops. */
  close(): Promise<void>;
}

export const DEFAULT_DROP_TIMEOUT_MS = 90_000;

/** A random SecretId in Tencent's shape (`AKID` and 32 characters) and a 32-character SecretKey. */
export function generateCredentials(): EmulatorCredentials {
  const text = (length: number) => randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
  return { secretId: `AKID${text(32)}`, secretKey: text(32) };
}

/** Starts the networked emulator; resolves once it listens. */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const writeLog = options.log ?? (() => undefined);
  // Whatever a line quotes, it stays one line and moves no terminal cursor.
  const log = (line: string) => writeLog(escapeControlCharacters(line));
  for (const origin of options.allowedOrigins ?? []) normalizeOrigin(origin); // throws before listening
  const generated = generateCredentials();
  const credentials: EmulatorCredentials = {
    secretId: options.secretId ?? generated.secretId,
    secretKey: options.secretKey ?? generated.secretKey,
  };
  const faultBoard = new FaultBoard();
  const service = new RoomService({
    faults: faultBoard,
    ...(options.appSecretKey !== undefined ? { secretKey: options.appSecretKey } : {}),
    ...(options.sdkAppIds !== undefined ? { sdkAppIds: options.sdkAppIds } : {}),
    ...(options.liveRoomRetentionMs !== undefined ? { liveRoomRetentionMs: options.liveRoomRetentionMs } : {}),
  });
  // The emulated SDKs' sessions (member-socket.ts), ended with their stay.
  const sessions = new Map<string, Membership>();
  const dropped = new DroppedMembers(service, options.dropTimeoutMs ?? DEFAULT_DROP_TIMEOUT_MS, log, (membership) => {
    for (const [session, held] of sessions) if (held === membership) sessions.delete(session);
  });
  const media = createMediaServer({
    ...(options.maxMediaMembers !== undefined ? { maxMembers: options.maxMediaMembers } : {}),
    log,
    // The media server's room key is `${sdkAppId}/${typeof roomId}/${roomId}` (channel-media.ts's mediaRoomKey).
    linkOf(room, userId) {
      const [sdkAppId = '', kind, ...id] = room.split('/');
      const roomId = kind === 'number' ? Number(id.join('/')) : id.join('/');
      return faultBoard.linkOf({ sdkAppId: Number(sdkAppId), roomId, userId });
    },
  });
  // One carrier of media per room: the emulated SDKs' pages, trtc-js-sdk's, trtc-sdk-v5's do not reach each other.
  const carriers = createMediaCarriers(log);
  const sdkSignalling = createSdkSignalling({
    service,
    log,
    media,
    carriers,
    drop: (membership) => dropped.drop(membership),
    undrop: (membership) => dropped.undrop(membership),
    faults: faultBoard,
    ...(options.maxMediaMembers !== undefined ? { maxSpcMembers: options.maxMediaMembers } : {}),
  });
  const mediaHub = createMediaHub(log, carriers, faultBoard);
  const rooms = (): EmulatorRoomView[] =>
    service.snapshot().map((room) => ({
      sdkAppId: room.sdkAppId,
      roomId: room.roomId,
      members: [...room.members],
      disconnected: dropped.disconnectedIn(room.sdkAppId, room.roomId),
    }));

  // eslint-disable-next-line prefer-const -- assigned once the port is known, after the closure above captures it
  let routes!: HttpRoutesContext; // made once the port is known, before the first request
  const http = createServer((request, response) => answerHttp(routes, request, response));
  const sockets = new WebSocketServer({
    server: http,
    path: EMULATOR_WEBSOCKET_PATH,
    maxPayload: 64 * 1024,
    // No compressed messages: all a client sends is read as it came, before any authentication.
    perMessageDeflate: false,
    verifyClient({ req }, done) {
      const refusal = refusalOf(routes, req, 'WebSocket');
      if (refusal) done(false, 403, `${refusal.code}: ${refusal.message}`);
      else if (cutByFault(req)) {
        log(`Refused WebSocket ${quote(req.url)}: its connection is dropped (an injected fault)`);
        done(false, 503, 'Service Unavailable: the connection is dropped (an injected fault)');
      } else done(true);
    },
  });
  // One server for every path: the emulated SDKs' and the real SDKs' signalling (ws lets one server per HTTP server).
  sockets.shouldHandle = (request) =>
    new URL(request.url ?? '/', 'http://emulator').pathname === EMULATOR_WEBSOCKET_PATH ||
    sdkSignalling.handles(request);
  // A drop refuses the sockets of the clients it covers: all of them when it covers everyone; an SDK's signalling
  // socket by the client its URL names (its room only on a reconnection: a join is checked when it comes).
  const cutByFault = (request: IncomingMessage): boolean => {
    if (faultBoard.dropsEveryone()) return true;
    if (!sdkSignalling.handles(request)) return false;
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
    const subject: FaultSubject = { sdkAppId: Number(query.get('sdkAppId')), userId: query.get('userId') ?? '' };
    if (query.get('rc') === '1' && query.has('roomId'))
      subject.roomId = roomIdOf({
        useStringRoomId: query.get('useStringRoomId') === 'true',
        roomId: query.get('roomId'),
      });
    else if (!query.has('roomId')) {
      // trtc-sdk-v5's socket names no room (SignalChannel.connect: sdkAppId, userId, userSig): when its member's
      // network is down in every room this user is in, the socket cannot open either, as on a real outage. (Accepted,
      // then cut at its reconnect command, it would leave the SDK CONNECTED mid-drop and waiting 5 s for an answer.)
      const rooms = service
        .snapshot()
        .filter((room) => room.sdkAppId === subject.sdkAppId && room.members.includes(subject.userId));
      if (rooms.length > 0 && rooms.every((room) => faultBoard.isDropped({ ...subject, roomId: room.roomId })))
        return true;
    }
    return faultBoard.isDropped(subject);
  };
  // Who each open socket speaks for, for a drop to cut: an SDK's signalling, or an emulated client's join.
  const subjects = new WeakMap<WebSocket, () => FaultSubject | undefined>();
  const alive = new WeakSet<WebSocket>();
  sockets.on('connection', (socket, request) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    const channel = sdkSignalling.serve(socket, request);
    if (channel) subjects.set(socket, () => channel.subject);
    else {
      const member = new MemberSocket(socket, { service, dropped, mediaHub, faults: faultBoard, sessions, log });
      subjects.set(socket, () => member.subject);
    }
  });
  faultBoard.onChange(({ phase, fault }) => {
    log(`Fault ${fault.id} ${phase === 'start' ? `started: ${JSON.stringify(fault)}` : 'ended'}`);
    if (phase !== 'start' || fault.type !== 'drop') return;
    const everyone = faultBoard.dropsEveryone();
    for (const socket of sockets.clients) {
      const subject = subjects.get(socket)?.();
      if (everyone || (subject && targets(fault.target, subject))) socket.terminate();
    }
  });
  const faults: EmulatorFaults = {
    drop: (fault) => faultBoard.drop(fault),
    refuseJoins: (fault) => faultBoard.refuseJoins(fault),
    degradeMedia: (fault) => faultBoard.degradeMedia(fault),
    restore: (id) => faultBoard.restore(id),
    clear: () => faultBoard.clear(),
    get active() {
      return faultBoard.active;
    },
    async restart(restartOptions = {}) {
      const { keepRooms, downMs } = checkRestart(restartOptions);
      log(`Restarting (${keepRooms ? 'keeping' : 'forgetting'} rooms, down for ${downMs} ms)`);
      const down = faultBoard.drop(downMs > 0 ? { durationMs: downMs } : {});
      if (!keepRooms) {
        // A service that kept no state: no member is waited for, every session and media stream is gone.
        dropped.forgetAll();
        sessions.clear();
        service.reset();
      }
      if (downMs === 0) down.restore();
      await down.restored;
    },
  };
  const heartbeat = setInterval(() => {
    for (const socket of sockets.clients) {
      if (!alive.has(socket)) socket.terminate();
      else {
        alive.delete(socket);
        socket.ping();
      }
    }
  }, heartbeatMs);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const links = {
    url: `http://${hostInUrl}:${port}`,
    webSocketUrl: `ws://${hostInUrl}:${port}${EMULATOR_WEBSOCKET_PATH}`,
    apiEndpoint: `${hostInUrl}:${port}`,
    proxy: sdkSignalling.proxy(`http://${hostInUrl}:${port}`),
  };
  routes = {
    policy: createLocalOriginPolicy({
      host,
      port,
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    }),
    api: new CloudApi(service, credentials),
    faults,
    log,
    rooms,
    links,
    ...(options.handleRequest ? { handleRequest: options.handleRequest } : {}),
  };
  const warning = exposureWarning('the TRTC emulator', host, port, [
    'read every room and user id (GET /rooms);',
    options.appSecretKey === undefined
      ? 'join any room as any user over WebSocket, throwing that user out (no userSig check: give an app secret key);'
      : 'join rooms over WebSocket with a valid userSig;',
    'remove users and dismiss rooms through the Tencent Cloud API, if they learn the SecretId and SecretKey.',
  ]);
  if (warning !== undefined) (options.warn ?? console.warn)(warning);

  return {
    ...links,
    host,
    port,
    credentials,
    service,
    media,
    faults,
    rooms,
    async close() {
      clearInterval(heartbeat);
      faultBoard.clear();
      await media.close();
      dropped.close();
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await sdkSignalling.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
