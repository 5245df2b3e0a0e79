/**
 * The networked emulator's client side: an `sdk` whose clients reach the emulator server
 * (`npx trtc-room-emulator`) over WebSocket, so pages in several tabs or browsers share its rooms, and
 * the app's server can remove users or dismiss rooms through Tencent Cloud's API on the same server.
 */
import type { BackendMembership, RoomBackend } from './backend.js';
import { createEmulatedSdks, type EmulatedSdkOptions, type EmulatedSdks } from './sdk-shapes.js';
import { MediaRelay } from './media/relay.js';
import { NetworkMediaRelay } from './media/network-relay.js';
import { PEER_LEAVE_REASON, type JoinRequest, type MemberSink } from '../core/room-service.js';
import { EmulatedRtcError } from './v4-client.js';
import { JOIN_ROOM_FAILED, SCHEDULE_FAILED, UNKNOWN } from '../../sdk/v4-error-codes.js';
import { EMULATOR_WEBSOCKET_PATH, type ClientMessage, type ServerMessage } from '../core/wire-protocol.js';
import type { WebSocketConstructor, WebSocketLike } from './web-socket.js';

export type { WebSocketConstructor, WebSocketLike } from './web-socket.js';

export interface TrtcEmulatorConnectionOptions extends EmulatedSdkOptions {
  /** The WebSocket class; default the global one (pass `ws`'s `WebSocket` in Node 20, which has none). */
  WebSocket?: WebSocketConstructor;
}

export interface TrtcEmulatorConnection extends EmulatedSdks {
  /** The WebSocket URL the clients connect to. */
  readonly url: string;
}

/** The SDK's SCHEDULE_FAILED: the service could not be reached at all. */
export { SCHEDULE_FAILED };

/**
 * An `sdk` for `<trtc-room>` backed by the networked emulator at `url`: the WebSocket URL it prints
 * (`ws://127.0.0.1:8090/trtc`), or its http:// address. Nothing connects until a client joins; each join
 * opens its own WebSocket, closed at leave. If that socket drops, the client reconnects as trtc-js-sdk does
 * (state RECONNECTING) and, once `reconnectAttempts` have failed, fires the SDK's `error` 0x4006.
 */
export function connectTrtcEmulator(
  url: string | URL,
  options: TrtcEmulatorConnectionOptions = {},
): TrtcEmulatorConnection {
  const webSocketUrl = toWebSocketUrl(url);
  const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketClass)
    throw new TypeError(
      'connectTrtcEmulator needs a WebSocket class: this runtime has none; pass { WebSocket } (in Node, from the `ws` package).',
    );
  const sessions = new WeakMap<BackendMembership, string>();
  const backend: RoomBackend = {
    join: (request, sink, onLost, resume) =>
      joinOverWebSocket(WebSocketClass, webSocketUrl, request, sink, onLost, resume && sessions.get(resume), sessions),
  };
  // Media across pages where the runtime has WebRTC (a browser); elsewhere (Node) nothing can capture anyway.
  const media =
    typeof RTCPeerConnection === 'function' ? new NetworkMediaRelay(webSocketUrl, WebSocketClass) : new MediaRelay();
  const sdkOptions: EmulatedSdkOptions = {
    media,
    ...(options.reconnectAttempts === undefined ? {} : { reconnectAttempts: options.reconnectAttempts }),
  };
  return Object.defineProperties(
    { url: webSocketUrl } as TrtcEmulatorConnection,
    Object.getOwnPropertyDescriptors(createEmulatedSdks(backend, sdkOptions)),
  );
}

function toWebSocketUrl(url: string | URL): string {
  const parsed = new URL(String(url));
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  else if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw new TypeError(`${String(url)} is not a ws://, wss://, http:// or https:// URL.`);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = EMULATOR_WEBSOCKET_PATH;
  return parsed.href;
}

type Reply = Extract<ServerMessage, { type: 'reply' }>;
type Request = ClientMessage extends infer M ? (M extends unknown ? Omit<M, 'id'> : never) : never;

/** Opens a socket, joins over it, and keeps the membership for as long as the socket lives. */
function joinOverWebSocket(
  WebSocketClass: WebSocketConstructor,
  url: string,
  request: JoinRequest,
  sink: MemberSink,
  onLost: (error: Error) => void,
  resume: string | undefined,
  sessions: WeakMap<BackendMembership, string>,
): Promise<BackendMembership> {
  return new Promise((resolve, reject) => {
    // 'ended': removed by the service, left, or lost; the socket is closed or closing.
    let phase: 'connecting' | 'joining' | 'joined' | 'leaving' | 'ended' = 'connecting';
    const pending = new Map<number, (reply: Reply) => void>();
    let nextId = 1;
    let socket: WebSocketLike;
    try {
      socket = new WebSocketClass(url);
    } catch (error) {
      reject(
        new EmulatedRtcError(
          SCHEDULE_FAILED,
          `Could not connect to the TRTC emulator at ${url}: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return;
    }

    // Replies are handled synchronously, so a push that follows a reply in the same read sees its effect.
    const ask = (message: Request, onReply: (reply: Reply) => void): void => {
      const id = nextId++;
      pending.set(id, onReply);
      socket.send(JSON.stringify({ ...message, id }));
    };
    const end = () => {
      phase = 'ended';
      socket.close(1000);
    };

    const membership: BackendMembership = {
      async leave() {
        if (phase !== 'joined') return; // removed or lost: already out of the room
        phase = 'leaving';
        const reply = await new Promise<Reply>((settle) => ask({ type: 'leave' }, settle));
        end();
        if (!reply.ok) throw new EmulatedRtcError(UNKNOWN, reply.error.message);
      },
    };

    socket.addEventListener('open', () => {
      phase = 'joining';
      const { sdkAppId, roomId, userId, userSig, mode, role } = request;
      ask(
        {
          type: 'join',
          sdkAppId,
          roomId,
          userId,
          userSig,
          ...(mode ? { mode } : {}),
          ...(role ? { role } : {}),
          ...(resume ? { resume } : {}),
        },
        (reply) => {
          if (reply.ok && phase === 'joining') {
            phase = 'joined';
            if (reply.session) sessions.set(membership, reply.session);
            resolve(membership);
          } else {
            end();
            reject(reply.ok ? new EmulatedRtcError(JOIN_ROOM_FAILED, 'The join was abandoned.') : refusal(reply.error));
          }
        },
      );
    });

    socket.addEventListener('message', (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        socket.close(1002, 'not JSON');
        return;
      }
      if (message.type === 'reply') {
        const settle = message.id === null ? undefined : pending.get(message.id);
        if (message.id !== null) pending.delete(message.id);
        settle?.(message);
      } else if (message.type === 'removed') {
        // Removed while leaving: the leave's answer follows, and the leave resolves as usual.
        if (phase !== 'joined') return;
        sink.removed(message.reason, message.message);
        end();
      } else if (message.type === 'peer-join') sink.peerJoin(message.userId);
      else if (message.type === 'peer-leave')
        sink.peerLeave(message.userId, message.reason ?? PEER_LEAVE_REASON.NORMAL_LEAVE);
    });

    // A WebSocket reports a failure as `error` and then `close`; the close does the work. (`ws` in Node
    // throws an `error` nobody listens to.)
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      const was = phase;
      phase = 'ended';
      for (const settle of pending.values()) {
        settle({
          type: 'reply',
          id: null,
          ok: false,
          error: { code: was === 'leaving' ? UNKNOWN : JOIN_ROOM_FAILED, message: closedMessage(url, was) },
        });
      }
      pending.clear();
      if (was === 'connecting') reject(new EmulatedRtcError(SCHEDULE_FAILED, unreachableMessage(url)));
      else if (was === 'joined') onLost(new Error(closedMessage(url, was)));
    });
  });
}

/** The server's refusal as the SDK's internal error: its code, and the service's own code as extraCode. */
function refusal(error: { code: number; message: string; extraCode?: number }): EmulatedRtcError {
  const refused = new EmulatedRtcError(error.code, error.message);
  return error.extraCode === undefined
    ? refused
    : Object.assign(refused, { extraCode: error.extraCode, getExtraCode: () => error.extraCode });
}

function closedMessage(url: string, phase: string): string {
  if (phase === 'leaving')
    return `The connection to the TRTC emulator at ${url} closed before the leave was confirmed; the emulator removes the member after its drop timeout.`;
  if (phase === 'joining') return `The connection to the TRTC emulator at ${url} closed during the join.`;
  return `The connection to the TRTC emulator at ${url} was lost.`;
}

function unreachableMessage(url: string): string {
  // In a page, the emulator may be running and refuse the page's origin: the browser does not say which.
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  const allowed = origin?.startsWith('http') ? `, and does it let this page in (\`--allow-origin ${origin}\`)` : '';
  return `Could not reach the TRTC emulator at ${url}: is \`npx trtc-room-emulator\` running${allowed}?`;
}
