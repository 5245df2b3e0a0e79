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
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  JOIN_ROOM_FAILED,
  PEER_LEAVE_REASON,
  RoomService,
  type Membership,
  type MemberSink,
  type RoomId,
} from '../core/room-service.js';
import {
  EMULATOR_WEBSOCKET_PATH,
  type ClientMessage,
  type MediaClientMessage,
  type ServerMessage,
} from '../core/wire-protocol.js';
import { createMediaHub } from './media-hub.js';
import { CloudApi } from './cloud-api.js';
import {
  createLocalOriginPolicy,
  exposureWarning,
  normalizeOrigin,
  type LocalOriginPolicy,
  type Refusal,
} from './local-origin-policy.js';
import { escapeControlCharacters, quote } from './log-text.js';
import { createSdkSignalling, LOGGER_PATH, type SdkProxySettings } from './signalling.js';

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
  /** Every room, its members, and which of them are disconnected. */
  rooms(): EmulatorRoomView[];
  /** Stops listening, closes every connection and forgets pending drops. */
  close(): Promise<void>;
}

export const DEFAULT_DROP_TIMEOUT_MS = 90_000;
const MAX_BODY_BYTES = 1 << 20;
const INVALID_PARAMETER = 0x1000;
const INVALID_OPERATION = 0x1001;

/** A random SecretId in Tencent's shape (`AKID` and 32 characters) and a 32-character SecretKey. */
export function generateCredentials(): EmulatorCredentials {
  const text = (length: number) => randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
  return { secretId: `AKID${text(32)}`, secretKey: text(32) };
}

/** Starts the networked emulator; resolves once it listens. */
export async function startEmulatorServer(options: EmulatorServerOptions = {}): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const dropTimeoutMs = options.dropTimeoutMs ?? DEFAULT_DROP_TIMEOUT_MS;
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
  const service = new RoomService({
    ...(options.appSecretKey !== undefined ? { secretKey: options.appSecretKey } : {}),
    ...(options.sdkAppIds !== undefined ? { sdkAppIds: options.sdkAppIds } : {}),
    ...(options.liveRoomRetentionMs !== undefined ? { liveRoomRetentionMs: options.liveRoomRetentionMs } : {}),
  });
  const api = new CloudApi(service, credentials);
  /** Members whose connection dropped, with the timer that removes them. */
  const dropped = new Map<Membership, ReturnType<typeof setTimeout>>();
  let closed = false;
  let policy!: LocalOriginPolicy; // made once the port is known, before the first request
  const sdkSignalling = createSdkSignalling({
    service,
    log,
    drop: (membership) => dropMember(membership),
    undrop: (membership) => dropped.has(membership) && (forgetDrop(membership), true),
  });

  const rooms = (): EmulatorRoomView[] =>
    service.snapshot().map((room) => ({
      sdkAppId: room.sdkAppId,
      roomId: room.roomId,
      members: [...room.members],
      disconnected: [...dropped.keys()]
        .filter((m) => m.sdkAppId === room.sdkAppId && m.roomId === room.roomId)
        .map((m) => m.userId),
    }));

  const http = createServer((request, response) => {
    void answerHttp(request, response).catch((error) => {
      log(
        `HTTP ${request.method} ${quote(request.url)} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent) sendJson(response, 500, { error: 'The emulator failed to answer.' });
      else response.destroy();
    });
  });

  /** The refusal for a request from another host or another site's page, logged; undefined if it may go on. */
  function refusalOf(request: IncomingMessage, what: string): Refusal | undefined {
    const changesState = request.method !== 'GET' && request.method !== 'HEAD';
    const refusal =
      policy.checkHost(request) ?? (changesState || what === 'WebSocket' ? policy.checkOrigin(request) : undefined);
    if (refusal)
      log(
        `Refused ${what} ${request.method} ${quote(request.url)} from ${quote(request.socket.remoteAddress)}: ${refusal.code}: ${refusal.message}`,
      );
    return refusal;
  }

  async function answerHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = refusalOf(request, 'HTTP');
    if (refusal) {
      sendJson(response, 403, { error: refusal });
      return;
    }
    if (options.handleRequest && (await options.handleRequest(request, response))) return;
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname === '/rooms' && (request.method === 'GET' || request.method === 'HEAD')) {
      // Pages of allowed origins may read the rooms; other sites' pages get no CORS header, so cannot.
      const corsOrigin = policy.corsOrigin(request);
      sendJson(
        response,
        200,
        rooms(),
        corsOrigin ? { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' } : { Vary: 'Origin' },
      );
      return;
    }
    if (url.pathname === '/proxy' && (request.method === 'GET' || request.method === 'HEAD')) {
      // As for /rooms: pages of allowed origins may read where to point the SDKs; other sites' pages cannot.
      const corsOrigin = policy.corsOrigin(request);
      sendJson(
        response,
        200,
        server.proxy,
        corsOrigin ? { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' } : { Vary: 'Origin' },
      );
      return;
    }
    if (url.pathname.startsWith(`${LOGGER_PATH}/`)) {
      // The SDKs' quality reports (their loggerProxy), taken and dropped.
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/' && request.method === 'GET' && request.headers['x-tc-action'] === undefined) {
      sendJson(response, 200, {
        emulator: 'trtc-room-emulator',
        webSocket: server.webSocketUrl,
        tencentCloudApi: { endpoint: server.apiEndpoint, protocol: 'http://', version: '2019-07-22' },
        rooms: `${server.url}/rooms`,
        proxy: `${server.url}/proxy`,
      });
      return;
    }
    if (url.pathname !== '/') {
      sendJson(response, 404, {
        error: `Nothing at ${url.pathname}: the emulator serves POST / (Tencent Cloud API), GET /rooms, GET /proxy and WebSockets ${EMULATOR_WEBSOCKET_PATH}, /signal/v4 and /signal/v5.`,
      });
      return;
    }
    const body = await readBody(request);
    const { action, response: answer } =
      body === undefined
        ? {
            action: undefined,
            response: {
              Response: {
                Error: {
                  Code: 'RequestSizeLimitExceeded',
                  Message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
                },
                RequestId: randomUUID(),
              },
            },
          }
        : api.handle({
            method: request.method ?? '',
            path: url.pathname,
            query: url.search.slice(1),
            headers: request.headers,
            body,
          });
    const error = 'Error' in answer.Response ? answer.Response.Error : undefined;
    log(
      `API ${action === undefined ? '(no action)' : quote(action)}: ${error ? `${error.Code}: ${error.Message}` : 'OK'}`,
    );
    sendJson(response, 200, answer);
  }

  const mediaHub = createMediaHub(log);
  const sockets = new WebSocketServer({
    server: http,
    path: EMULATOR_WEBSOCKET_PATH,
    maxPayload: 64 * 1024,
    // No compressed messages: all a client sends is read as it came, before any authentication.
    perMessageDeflate: false,
    verifyClient({ req }, done) {
      const refusal = refusalOf(req, 'WebSocket');
      if (refusal) done(false, 403, `${refusal.code}: ${refusal.message}`);
      else done(true);
    },
  });
  // One server for every path: the emulated SDKs' and the real SDKs' signalling (ws lets one server per HTTP server).
  sockets.shouldHandle = (request) =>
    new URL(request.url ?? '/', 'http://emulator').pathname === EMULATOR_WEBSOCKET_PATH ||
    sdkSignalling.handles(request);
  const alive = new WeakSet<WebSocket>();
  sockets.on('connection', (socket, request) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    if (!sdkSignalling.serve(socket, request)) serveMember(socket);
  });
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

  /** One socket: at most one join, then its membership until leave, removal, or drop. */
  function serveMember(socket: WebSocket): void {
    let state: 'new' | 'joining' | 'joined' | 'ended' = 'new';
    let membership: Membership | null = null;
    // Pushes made during the join (the users already in the room) are held and sent just before its reply,
    // so the client announces them before its join() resolves, as trtc-js-sdk does with its join answer.
    let held: ServerMessage[] | null = null;
    const send = (message: ServerMessage) => {
      if (held) held.push(message);
      else if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const sink: MemberSink = {
      removed(reason, message) {
        if (membership) forgetDrop(membership);
        membership = null;
        state = 'ended';
        send({ type: 'removed', reason, message });
      },
      peerJoin: (userId) => send({ type: 'peer-join', userId }),
      peerLeave: (userId, reason) => send({ type: 'peer-leave', userId, reason }),
    };
    const fail = (id: number | null, code: number, message: string, extraCode?: number) =>
      send({
        type: 'reply',
        id,
        ok: false,
        error: { code, message, ...(extraCode !== undefined ? { extraCode } : {}) },
      });

    let media: ((message: MediaClientMessage) => void) | undefined;
    socket.on('message', (data, isBinary) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        fail(null, INVALID_PARAMETER, 'The message is not JSON text.');
        return;
      }
      // A media socket (src/emulator/node/media-hub.ts): it carries no join.
      const mediaMessage = message as unknown as MediaClientMessage;
      if (media) return media(mediaMessage);
      if (state === 'new' && mediaMessage?.type === 'media-enter') {
        media = mediaHub.serve(socket, mediaMessage);
        return;
      }
      const id = typeof message?.id === 'number' ? message.id : null;
      if (id === null) fail(null, INVALID_PARAMETER, 'Every request needs a numeric id.');
      else if (message.type === 'join') void join(id, message);
      else if (message.type === 'leave') leave(id);
      else fail(id, INVALID_PARAMETER, `Unknown request type ${JSON.stringify((message as { type?: unknown }).type)}.`);
    });

    async function join(id: number, request: Extract<ClientMessage, { type: 'join' }>): Promise<void> {
      if (state !== 'new') {
        fail(id, INVALID_OPERATION, 'A connection carries one join; open a new one to join again.');
        return;
      }
      state = 'joining';
      held = [];
      const { sdkAppId, roomId, userId, userSig, mode, role } = request;
      try {
        const joined = await service.join({ sdkAppId, roomId, userId, userSig, mode, role }, sink);
        log(`${quote(userId)} joined room ${quote(roomId)} of app ${quote(sdkAppId)}`);
        if (state === 'joining') {
          state = 'joined';
          membership = joined;
          if (socket.readyState !== socket.OPEN) dropMember(joined);
        }
        const pushes = held;
        held = null;
        for (const push of pushes) send(push);
        send({ type: 'reply', id, ok: true });
      } catch (error) {
        held = null;
        state = 'ended';
        const code =
          typeof (error as { getCode?: unknown })?.getCode === 'function'
            ? (error as { getCode(): number }).getCode()
            : JOIN_ROOM_FAILED;
        log(`${quote(userId)} could not join: ${error instanceof Error ? error.message : String(error)}`);
        const extraCode =
          typeof (error as { getExtraCode?: unknown })?.getExtraCode === 'function'
            ? (error as { getExtraCode(): number }).getExtraCode()
            : undefined;
        fail(id, code, error instanceof Error ? error.message : String(error), extraCode);
      }
    }

    function leave(id: number): void {
      if (state === 'joining') {
        fail(id, INVALID_OPERATION, 'The join is still in flight; leave once it has been answered.');
        return;
      }
      if (membership) {
        log(`${quote(membership.userId)} left room ${quote(membership.roomId)} of app ${membership.sdkAppId}`);
        service.leave(membership);
      }
      membership = null;
      state = 'ended';
      send({ type: 'reply', id, ok: true });
    }

    socket.on('close', () => {
      if (membership) dropMember(membership);
    });
    socket.on('error', (error) => log(`WebSocket error: ${error.message}`));
  }

  function dropMember(membership: Membership): void {
    if (closed || dropped.has(membership)) return;
    log(
      `${quote(membership.userId)}'s connection dropped; removing it from room ${quote(membership.roomId)} in ${dropTimeoutMs} ms`,
    );
    const timer = setTimeout(() => {
      dropped.delete(membership);
      log(`${quote(membership.userId)} removed from room ${quote(membership.roomId)} after its connection dropped`);
      service.leave(membership, PEER_LEAVE_REASON.TIMEOUT_LEAVE);
    }, dropTimeoutMs);
    dropped.set(membership, timer);
  }

  function forgetDrop(membership: Membership): void {
    const timer = dropped.get(membership);
    if (timer === undefined) return;
    clearTimeout(timer);
    dropped.delete(membership);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      policy = createLocalOriginPolicy({
        host,
        port: (http.address() as AddressInfo).port,
        ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
      });
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const warning = exposureWarning('the TRTC emulator', host, port, [
    'read every room and user id (GET /rooms);',
    options.appSecretKey === undefined
      ? 'join any room as any user over WebSocket, throwing that user out (no userSig check: give an app secret key);'
      : 'join rooms over WebSocket with a valid userSig;',
    'remove users and dismiss rooms through the Tencent Cloud API, if they learn the SecretId and SecretKey.',
  ]);
  if (warning !== undefined) (options.warn ?? console.warn)(warning);

  const server: EmulatorServer = {
    url: `http://${hostInUrl}:${port}`,
    webSocketUrl: `ws://${hostInUrl}:${port}${EMULATOR_WEBSOCKET_PATH}`,
    apiEndpoint: `${hostInUrl}:${port}`,
    proxy: sdkSignalling.proxy(`http://${hostInUrl}:${port}`),
    host,
    port,
    credentials,
    service,
    rooms,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      for (const timer of dropped.values()) clearTimeout(timer);
      dropped.clear();
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
  return server;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** The request body, or undefined if it is larger than MAX_BODY_BYTES. */
async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Reads to the end even when too large, so the connection can still carry the answer.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}
