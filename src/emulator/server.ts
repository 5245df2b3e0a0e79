/**
 * The networked TRTC emulator (Node only): one HTTP server with
 * - a WebSocket endpoint (`/trtc`) for emulated SDK clients in pages (`connectTrtcEmulator` from
 *   `trtc-room/testing`), one socket per client's stay in a room;
 * - Tencent Cloud API 3.0 (`POST /`) for RemoveUser, RemoveUserByStrRoomId, DismissRoom and
 *   DismissRoomByStrRoomId, signed with TC3-HMAC-SHA256, so Tencent's own server SDKs work against it;
 * - a read-only JSON view of the rooms (`GET /rooms`) for demos.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { JOIN_ROOM_FAILED, PEER_LEAVE_REASON, RoomService, type Membership, type MemberSink, type RoomId } from '../testing/room-service.js';
import { EMULATOR_WEBSOCKET_PATH, type ClientMessage, type MediaClientMessage, type ServerMessage } from '../testing/wire-protocol.js';
import { createMediaHub } from './media-hub.js';
import { CloudApi } from './cloud-api.js';

export interface EmulatorServerOptions {
  /** Default 0: any free port (read it from the result). */
  port?: number;
  /** Default 127.0.0.1: only this machine can reach it. */
  host?: string;
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
  const log = options.log ?? (() => undefined);
  const generated = generateCredentials();
  const credentials: EmulatorCredentials = { secretId: options.secretId ?? generated.secretId, secretKey: options.secretKey ?? generated.secretKey };
  const service = new RoomService({
    ...(options.appSecretKey !== undefined ? { secretKey: options.appSecretKey } : {}),
    ...(options.sdkAppIds !== undefined ? { sdkAppIds: options.sdkAppIds } : {}),
    ...(options.liveRoomRetentionMs !== undefined ? { liveRoomRetentionMs: options.liveRoomRetentionMs } : {}),
  });
  const api = new CloudApi(service, credentials);
  /** Members whose connection dropped, with the timer that removes them. */
  const dropped = new Map<Membership, ReturnType<typeof setTimeout>>();
  let closed = false;

  const rooms = (): EmulatorRoomView[] =>
    service.snapshot().map((room) => ({
      sdkAppId: room.sdkAppId,
      roomId: room.roomId,
      members: [...room.members],
      disconnected: [...dropped.keys()].filter((m) => m.sdkAppId === room.sdkAppId && m.roomId === room.roomId).map((m) => m.userId),
    }));

  const http = createServer((request, response) => {
    void answerHttp(request, response).catch((error) => {
      log(`HTTP ${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'The emulator failed to answer.' });
      else response.destroy();
    });
  });

  async function answerHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (options.handleRequest && (await options.handleRequest(request, response))) return;
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname === '/rooms' && (request.method === 'GET' || request.method === 'HEAD')) {
      sendJson(response, 200, rooms());
      return;
    }
    if (url.pathname === '/' && request.method === 'GET' && request.headers['x-tc-action'] === undefined) {
      sendJson(response, 200, {
        emulator: 'trtc-room-emulator',
        webSocket: server.webSocketUrl,
        tencentCloudApi: { endpoint: server.apiEndpoint, protocol: 'http://', version: '2019-07-22' },
        rooms: `${server.url}/rooms`,
      });
      return;
    }
    if (url.pathname !== '/') {
      sendJson(response, 404, { error: `Nothing at ${url.pathname}: the emulator serves POST / (Tencent Cloud API), GET /rooms and WebSocket ${EMULATOR_WEBSOCKET_PATH}.` });
      return;
    }
    const body = await readBody(request);
    const { action, response: answer } =
      body === undefined
        ? { action: undefined, response: { Response: { Error: { Code: 'RequestSizeLimitExceeded', Message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` }, RequestId: randomUUID() } } }
        : api.handle({ method: request.method ?? '', path: url.pathname, query: url.search.slice(1), headers: request.headers, body });
    const error = 'Error' in answer.Response ? answer.Response.Error : undefined;
    log(`API ${action ?? '(no action)'}: ${error ? `${error.Code}: ${error.Message}` : 'OK'}`);
    sendJson(response, 200, answer);
  }

  const mediaHub = createMediaHub(log);
  const sockets = new WebSocketServer({ server: http, path: EMULATOR_WEBSOCKET_PATH, maxPayload: 64 * 1024 });
  const alive = new WeakSet<WebSocket>();
  sockets.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    serveMember(socket);
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
    // Pushes wait until the join's reply is sent, so the client knows it joined before it hears of peers.
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
      send({ type: 'reply', id, ok: false, error: { code, message, ...(extraCode !== undefined ? { extraCode } : {}) } });

    let media: ((message: MediaClientMessage) => void) | undefined;
    socket.on('message', (data, isBinary) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        fail(null, INVALID_PARAMETER, 'The message is not JSON text.');
        return;
      }
      // A media socket (src/emulator/media-hub.ts): it carries no join.
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
        log(`${userId} joined room ${JSON.stringify(roomId)} of app ${sdkAppId}`);
        if (state === 'joining') {
          state = 'joined';
          membership = joined;
          if (socket.readyState !== socket.OPEN) dropMember(joined);
        }
        const pushes = held;
        held = null;
        send({ type: 'reply', id, ok: true });
        for (const push of pushes) send(push);
      } catch (error) {
        held = null;
        state = 'ended';
        const code = typeof (error as { getCode?: unknown })?.getCode === 'function' ? (error as { getCode(): number }).getCode() : JOIN_ROOM_FAILED;
        log(`${String(userId)} could not join: ${error instanceof Error ? error.message : String(error)}`);
        const extraCode = typeof (error as { getExtraCode?: unknown })?.getExtraCode === 'function' ? (error as { getExtraCode(): number }).getExtraCode() : undefined;
        fail(id, code, error instanceof Error ? error.message : String(error), extraCode);
      }
    }

    function leave(id: number): void {
      if (state === 'joining') {
        fail(id, INVALID_OPERATION, 'The join is still in flight; leave once it has been answered.');
        return;
      }
      if (membership) {
        log(`${membership.userId} left room ${JSON.stringify(membership.roomId)} of app ${membership.sdkAppId}`);
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
    log(`${membership.userId}'s connection dropped; removing it from room ${JSON.stringify(membership.roomId)} in ${dropTimeoutMs} ms`);
    const timer = setTimeout(() => {
      dropped.delete(membership);
      log(`${membership.userId} removed from room ${JSON.stringify(membership.roomId)} after its connection dropped`);
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
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  const server: EmulatorServer = {
    url: `http://${hostInUrl}:${port}`,
    webSocketUrl: `ws://${hostInUrl}:${port}${EMULATOR_WEBSOCKET_PATH}`,
    apiEndpoint: `${hostInUrl}:${port}`,
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

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // The rooms view is read by demo pages served from another port.
    'Access-Control-Allow-Origin': '*',
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
