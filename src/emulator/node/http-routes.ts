/**
 * The networked emulator's HTTP side: who may ask (`refusalOf`, the local-origin policy) and one named route per
 * path: `GET /rooms`, `GET /proxy`, the SDKs' logger sink, `GET /` (what is served where), `POST /` (the
 * Tencent Cloud API), and the fault admin (`GET|POST|DELETE /faults`, `POST /restart`). Anything else is a 404 that
 * names what is served.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMULATOR_WEBSOCKET_PATH } from '../core/wire-protocol.js';
import type { CloudApi } from './cloud-api.js';
import { FaultError, type EmulatorFaults } from '../core/faults.js';
import type { LocalOriginPolicy, Refusal } from './local-origin-policy.js';
import { quote } from './log-text.js';
import { LOGGER_PATH, type SdkProxySettings } from './signalling-frames.js';

const MAX_BODY_BYTES = 1 << 20;

export interface HttpRoutesContext {
  policy: LocalOriginPolicy;
  api: CloudApi;
  /** The fault admin behind `/faults` and `/restart`. */
  faults: EmulatorFaults;
  log(line: string): void;
  /** `GET /rooms`'s body. */
  rooms(): unknown;
  /** The server's own addresses, for `GET /` and `GET /proxy`. */
  links: { url: string; webSocketUrl: string; apiEndpoint: string; proxy: SdkProxySettings };
  handleRequest?: (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;
}

type Route = (
  context: HttpRoutesContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<void> | void;

/** The refusal for a request from another host or another site's page, logged; undefined if it may go on. */
export function refusalOf(
  context: Pick<HttpRoutesContext, 'policy' | 'log'>,
  request: IncomingMessage,
  what: 'HTTP' | 'WebSocket',
): Refusal | undefined {
  const { policy } = context;
  const changesState = request.method !== 'GET' && request.method !== 'HEAD';
  const refusal =
    policy.checkHost(request) ?? (changesState || what === 'WebSocket' ? policy.checkOrigin(request) : undefined);
  if (refusal)
    context.log(
      `Refused ${what} ${request.method} ${quote(request.url)} from ${quote(request.socket.remoteAddress)}: ${refusal.code}: ${refusal.message}`,
    );
  return refusal;
}

const isRead = (request: IncomingMessage) => request.method === 'GET' || request.method === 'HEAD';

/** Pages of allowed origins may read the answer; other sites' pages get no CORS header, so cannot. */
const readableBy = (context: HttpRoutesContext, request: IncomingMessage): Record<string, string> => {
  const corsOrigin = context.policy.corsOrigin(request);
  return corsOrigin ? { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' } : { Vary: 'Origin' };
};

export const roomsRoute: Route = (context, request, response) =>
  sendJson(response, 200, context.rooms(), readableBy(context, request));

// As for /rooms: pages of allowed origins may read where to point the SDKs; other sites' pages cannot.
export const proxyRoute: Route = (context, request, response) =>
  sendJson(response, 200, context.links.proxy, readableBy(context, request));

/** The SDKs' quality reports (their loggerProxy), taken and dropped. */
export const loggerRoute: Route = (_context, _request, response) => void response.writeHead(204).end();

export const indexRoute: Route = ({ links }, _request, response) =>
  sendJson(response, 200, {
    emulator: 'trtc-room-emulator',
    webSocket: links.webSocketUrl,
    tencentCloudApi: { endpoint: links.apiEndpoint, protocol: 'http://', version: '2019-07-22' },
    rooms: `${links.url}/rooms`,
    proxy: `${links.url}/proxy`,
    faults: `${links.url}/faults`,
  });

export const notFoundRoute: Route = (_context, _request, response, url) =>
  sendJson(response, 404, {
    error: `Nothing at ${url.pathname}: the emulator serves POST / (Tencent Cloud API), GET /rooms, GET /proxy, GET|POST|DELETE /faults, POST /restart and WebSockets ${EMULATOR_WEBSOCKET_PATH}, /signal/v4 and /signal/v5.`,
  });

export const cloudApiRoute: Route = async ({ api, log }, request, response, url) => {
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
};

/** The fault kinds `POST /faults` takes, by `type`. */
const FAULT_KINDS = {
  drop: 'drop',
  'refuse-joins': 'refuseJoins',
  media: 'degradeMedia',
} as const satisfies Record<string, keyof EmulatorFaults>;

/** A fault request's body: JSON, an object; anything else is a FaultError, answered with 400. */
async function faultBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(request);
  if (body === undefined)
    throw new FaultError('RequestSizeLimitExceeded', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const text = Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new FaultError('InvalidParameter.Body', 'The body is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new FaultError('InvalidParameter.Body', 'The body is a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Answers a fault admin request; a FaultError is the caller's mistake (400), with its code and sentence. */
const faultRoute =
  (answer: (context: HttpRoutesContext, request: IncomingMessage, url: URL) => Promise<[number, unknown]>): Route =>
  async (context, request, response, url) => {
    try {
      const [status, body] = await answer(context, request, url);
      sendJson(response, status, body, readableBy(context, request));
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      context.log(`Fault request ${request.method} ${quote(url.pathname)} refused: ${error.code}: ${error.message}`);
      sendJson(response, 400, { error: { code: error.code, message: error.message } }, readableBy(context, request));
    }
  };

/** `GET /faults`: the active faults. */
export const faultsListRoute = faultRoute(async ({ faults }) => [200, { faults: faults.active }]);

/** `POST /faults` `{ type: 'drop' | 'refuse-joins' | 'media', ...fields }`: starts one; 201 with it. */
export const faultStartRoute = faultRoute(async ({ faults }, request) => {
  const { type, ...fault } = await faultBody(request);
  if (typeof type !== 'string' || !Object.hasOwn(FAULT_KINDS, type))
    throw new FaultError(
      'InvalidParameter.Type',
      `type must be one of ${Object.keys(FAULT_KINDS)
        .map((kind) => `"${kind}"`)
        .join(', ')}, not ${JSON.stringify(type)}.`,
    );
  const { id } = (faults[FAULT_KINDS[type as keyof typeof FAULT_KINDS]] as (fault: unknown) => { id: string })(fault);
  return [201, { fault: faults.active.find((active) => active.id === id) }];
});

/** `DELETE /faults/{id}` ends one fault (404 if none is active by that id); `DELETE /faults` ends them all. */
export const faultRestoreRoute = faultRoute(async ({ faults }, _request, url) => {
  const id = decodeURIComponent(url.pathname.slice('/faults/'.length));
  if (url.pathname === '/faults') {
    faults.clear();
    return [200, { faults: [] }];
  }
  return faults.restore(id)
    ? [200, { restored: id }]
    : [404, { error: { code: 'FailedOperation.FaultNotExist', message: `No fault ${JSON.stringify(id)} is active.` } }];
});

/** `POST /restart` `{ keepRooms?, downMs? }`: answers once the emulator takes connections again. */
export const restartRoute = faultRoute(async ({ faults }, request) => {
  const options = await faultBody(request);
  await faults.restart(options);
  return [200, { restarted: true, keepRooms: options.keepRooms === true }];
});

/** The route for a request that passed the policy and the app's own handler. */
export function routeOf(request: IncomingMessage, url: URL): Route {
  if (url.pathname === '/faults' && isRead(request)) return faultsListRoute;
  if (url.pathname === '/faults' && request.method === 'POST') return faultStartRoute;
  if ((url.pathname === '/faults' || url.pathname.startsWith('/faults/')) && request.method === 'DELETE')
    return faultRestoreRoute;
  if (url.pathname === '/restart' && request.method === 'POST') return restartRoute;
  if (url.pathname === '/rooms' && isRead(request)) return roomsRoute;
  if (url.pathname === '/proxy' && isRead(request)) return proxyRoute;
  if (url.pathname.startsWith(`${LOGGER_PATH}/`)) return loggerRoute;
  if (url.pathname === '/' && request.method === 'GET' && request.headers['x-tc-action'] === undefined)
    return indexRoute;
  if (url.pathname !== '/') return notFoundRoute;
  return cloudApiRoute;
}

/** Answers one HTTP request; a failure is logged and answered with 500 (or the connection closed if too late). */
export function answerHttp(context: HttpRoutesContext, request: IncomingMessage, response: ServerResponse): void {
  void route(context, request, response).catch((error) => {
    context.log(
      `HTTP ${request.method} ${quote(request.url)} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!response.headersSent) sendJson(response, 500, { error: 'The emulator failed to answer.' });
    else response.destroy();
  });
}

async function route(context: HttpRoutesContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const refusal = refusalOf(context, request, 'HTTP');
  if (refusal) {
    sendJson(response, 403, { error: refusal });
    return;
  }
  if (context.handleRequest && (await context.handleRequest(request, response))) return;
  const url = new URL(request.url ?? '/', 'http://emulator');
  await routeOf(request, url)(context, request, response, url);
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
