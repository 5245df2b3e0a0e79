/**
 * The demo server behind `npm start`: one local HTTP server that hosts the networked TRTC emulator
 * (WebSocket + Tencent Cloud API) and serves the demo page, user signatures for local use, and an admin
 * endpoint that calls the emulator's Tencent Cloud API server-side, signed, as an app's backend would.
 * The emulator's host and origin checks cover every request (docs/security.md); on top of them, user
 * signatures and the admin endpoint are served to this machine only unless `allowRemoteAdmin` is set.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import TLSSigAPIv2 from 'tls-sig-api-v2';
import { isLoopbackAddress } from '../src/emulator/node/local-origin-policy.js';
import { startEmulatorServer, type EmulatorServer } from '../src/emulator/node/server.js';

/** The SDKAppID the demo's emulator serves. Any positive integer would do. */
export const DEMO_SDK_APP_ID = 1400000001;
/**
 * The emulated application's secret key. Local use only: user signatures are signed with it on this
 * server, the way Tencent's quick-start pages make test signatures, and the emulator verifies them.
 */
export const DEMO_APP_SECRET_KEY = 'trtc-room-demo-local-secret-key-not-for-production';

const ADMIN_ACTIONS = new Set(['RemoveUser', 'RemoveUserByStrRoomId', 'DismissRoom', 'DismissRoomByStrRoomId']);
const root = resolve(import.meta.dirname ?? '.', '..');

export interface DemoServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Any other address prints a warning (see `warn`). */
  host?: string;
  /** Origins of other pages that may use the server (WebSocket joins, `/api/admin`); default its own only. */
  allowedOrigins?: readonly string[];
  /** Host names requests may name besides localhost, 127.0.0.1, [::1] and `host`. */
  allowedHosts?: readonly string[];
  /**
   * Serve `/api/user-sig` and `/api/admin` to clients on other machines too. Default false: they sign in as
   * anyone and throw anyone out, so they answer this machine only.
   */
  allowRemoteAdmin?: boolean;
  /** Receives the warning when `host` is not a loopback address; default console.warn. */
  warn?: (message: string) => void;
  /** How long a member whose tab vanished stays in its room; default 10 s (TRTC's service waits 90 s). */
  dropTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DemoServer {
  /** The page's URL. */
  readonly url: string;
  readonly emulator: EmulatorServer;
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: string | Uint8Array;
}

/** Bundles the page's script (element, emulator client, and the real SDK as a lazy chunk) in memory. */
async function bundlePage(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: { app: join(root, 'demo/app.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    conditions: ['production'],
    // package.json's sideEffects names the built entry, not src/: keep the source entry's registration.
    ignoreAnnotations: true,
    outdir: join(root, 'demo/.out'),
    write: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles)
    assets.set(`/${file.path.split('/').pop()}`, { type: 'text/javascript; charset=utf-8', body: file.contents });
  assets.set('/', { type: 'text/html; charset=utf-8', body: await readFile(join(root, 'demo/index.html'), 'utf8') });
  assets.set('/demo/styles.css', {
    type: 'text/css; charset=utf-8',
    body: await readFile(join(root, 'demo/styles.css'), 'utf8'),
  });
  return assets;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<any> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error('The request body is too large.');
  }
  return JSON.parse(text);
}

/** The paths that hand out power: a signature for any user, and RemoveUser/DismissRoom. */
const SIGNING_PATHS = new Set(['/api/user-sig', '/api/admin']);

/** Whether the request's body is declared JSON: a page on another site cannot send that without a preflight. */
function isJsonRequest(request: IncomingMessage): boolean {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const assets = await bundlePage();
  const warn = options.warn ?? console.warn;
  let admin: CommonClient | undefined;

  async function callCloudApi(emulator: EmulatorServer, body: any) {
    const { action, sdkAppId, roomId, userIds } = body ?? {};
    if (!ADMIN_ACTIONS.has(action))
      return {
        status: 400,
        body: { error: { code: 'InvalidAction', message: `Unknown action ${JSON.stringify(action)}.` } },
      };
    admin ??= new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
      credential: emulator.credentials,
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: emulator.apiEndpoint, protocol: 'http://' } },
    });
    const request = {
      SdkAppId: sdkAppId,
      RoomId: roomId,
      ...(action.startsWith('RemoveUser') ? { UserIds: userIds } : {}),
    };
    try {
      const answer: { RequestId?: string } = await admin.request(action, request);
      return { status: 200, body: { requestId: answer.RequestId } };
    } catch (error: any) {
      return {
        status: 200,
        body: {
          error: { code: error?.code ?? 'InternalError', message: error?.message ?? String(error) },
          requestId: error?.requestId,
        },
      };
    }
  }

  const emulator = await startEmulatorServer({
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    appSecretKey: DEMO_APP_SECRET_KEY,
    dropTimeoutMs: options.dropTimeoutMs ?? 10_000,
    ...(options.log ? { log: options.log } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    warn: (message) =>
      warn(
        `${message}\nThe demo adds its page and GET /api/rooms; ${
          options.allowRemoteAdmin
            ? 'and, as allowed (allowRemoteAdmin, --allow-remote-admin), /api/user-sig (a signature for any user) and /api/admin (RemoveUser, DismissRoom): anyone on the network can sign in as anyone and throw anyone out.'
            : '/api/user-sig and /api/admin still answer this machine only (--allow-remote-admin would open them).'
        }`,
      ),
    async handleRequest(request, response) {
      const url = new URL(request.url ?? '/', 'http://demo');
      const path = url.pathname === '/demo/' || url.pathname === '/index.html' ? '/' : url.pathname;
      if (SIGNING_PATHS.has(path) && !options.allowRemoteAdmin && !isLoopbackAddress(request.socket.remoteAddress)) {
        sendJson(response, 403, {
          error: {
            code: 'RemoteClient',
            message: `${path} answers this machine only: it signs in as any user and removes users. Start the demo with --allow-remote-admin to serve it to other machines.`,
          },
        });
        return true;
      }
      if (request.method === 'GET' && path === '/' && request.headers['x-tc-action'] === undefined) {
        const page = assets.get('/')!;
        response.writeHead(200, { 'content-type': page.type, 'cache-control': 'no-store' });
        response.end(page.body);
        return true;
      }
      if (request.method === 'GET' && assets.has(path)) {
        const asset = assets.get(path)!;
        response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
        response.end(asset.body);
        return true;
      }
      if (request.method === 'GET' && path === '/api/config') {
        sendJson(response, 200, { sdkAppId: DEMO_SDK_APP_ID });
        return true;
      }
      if (request.method === 'GET' && path === '/api/rooms') {
        sendJson(response, 200, emulator.rooms());
        return true;
      }
      if (request.method === 'GET' && path === '/api/user-sig') {
        const sdkAppId = Number(url.searchParams.get('sdkAppId'));
        const userId = url.searchParams.get('userId') ?? '';
        if (sdkAppId !== DEMO_SDK_APP_ID) {
          sendJson(response, 400, { error: `The demo signs for SDKAppID ${DEMO_SDK_APP_ID} only.` });
        } else if (!/^[A-Za-z0-9_-]{1,32}$/.test(userId)) {
          sendJson(response, 400, { error: 'userId must be 1 to 32 characters of A-Z, a-z, 0-9, _ and -.' });
        } else {
          sendJson(response, 200, {
            userSig: new TLSSigAPIv2.Api(DEMO_SDK_APP_ID, DEMO_APP_SECRET_KEY).genUserSig(userId, 86400),
          });
        }
        return true;
      }
      if (request.method === 'POST' && path === '/api/admin') {
        if (!isJsonRequest(request)) {
          sendJson(response, 415, {
            error: {
              code: 'UnsupportedMediaType',
              message: 'POST /api/admin takes a JSON body: send it with Content-Type: application/json.',
            },
          });
          return true;
        }
        let body: unknown;
        try {
          body = await readJson(request);
        } catch (error) {
          sendJson(response, 400, { error: { code: 'InvalidParameter', message: (error as Error).message } });
          return true;
        }
        const answer = await callCloudApi(emulator, body);
        sendJson(response, answer.status, answer.body);
        return true;
      }
      return false;
    },
  });
  return {
    url: `${emulator.url}/`,
    emulator,
    close: () => emulator.close(),
  };
}
