/**
 * `trtc-room-emulator`: runs the networked TRTC emulator until Ctrl+C.
 * `npx trtc-room-emulator --help` lists the options.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SDK_APP_ID } from '../core/room-service.js';
import { DEFAULT_DROP_TIMEOUT_MS, startEmulatorServer, type EmulatorServerOptions } from './server.js';
import { normalizeOrigin } from './local-origin-policy.js';
import { SIGNALLING_DIALECTS } from './signalling.js';

export const DEFAULT_PORT = 8090;

const USAGE = `Usage: trtc-room-emulator [options]

Runs a local emulator of Tencent RTC's room service: pages join rooms over WebSocket
(connectTrtcEmulator from trtc-room/testing, or the unmodified TRTC SDKs through their proxy
setting, GET /proxy) and an app server removes users or dismisses rooms through Tencent Cloud
API 3.0, as against the real service.

Options:
  --port <n>              port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>        address to listen on (default 127.0.0.1, this machine only;
                          any other address prints a warning: other machines can then join)
  --allow-origin <origin> let pages from this origin (e.g. http://localhost:5173, your app's dev
                          server) join and call the emulator; repeatable (default: its own origin only)
  --allow-host <name>     answer requests that name this host too, besides localhost, 127.0.0.1,
                          [::1] and --host; repeatable
  --secret-id <id>        Tencent Cloud API SecretId to accept (default: random, printed)
  --secret-key <key>      Tencent Cloud API SecretKey to accept (default: random, printed)
  --app-secret-key <key>  the TRTC app's secret key: check every join's userSig (default: no check)
  --sdk-app-id <id>       an SDKAppID that exists; repeat for more (default ${DEFAULT_SDK_APP_ID}).
                          Joins and API calls for any other are refused.
  --drop-timeout <time>   how long a member whose connection dropped stays in its room:
                          seconds, or with a unit (500ms, 90s) (default ${DEFAULT_DROP_TIMEOUT_MS / 1000}s)
  --quiet                 do not log joins, leaves and API calls
  -h, --help              show this text
`;

class UsageError extends Error {}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--drop-timeout ${JSON.stringify(text)} is not a duration like 90, 90s or 500ms.`);
  return Math.round(Number(match[1]) * (match[2] === 'ms' ? 1 : 1000));
}

function parseSdkAppId(text: string): number {
  const sdkAppId = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(sdkAppId))
    throw new UsageError(`--sdk-app-id ${JSON.stringify(text)} is not an SDKAppID (a positive integer).`);
  return sdkAppId;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port ${JSON.stringify(text)} is not a port number (0 to 65535).`);
  return port;
}

function parseOrigin(text: string): string {
  try {
    return normalizeOrigin(text);
  } catch (error) {
    throw new UsageError(`--allow-origin: ${(error as Error).message}`);
  }
}

function parseOptions(args: string[]): (EmulatorServerOptions & { quiet: boolean }) | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'secret-id': { type: 'string' },
      'secret-key': { type: 'string' },
      'app-secret-key': { type: 'string' },
      'drop-timeout': { type: 'string' },
      'sdk-app-id': { type: 'string', multiple: true },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const options: EmulatorServerOptions & { quiet: boolean } = {
    port: values.port === undefined ? DEFAULT_PORT : parsePort(values.port),
    host: values.host ?? '127.0.0.1',
    quiet: values.quiet === true,
  };
  if (values['allow-origin'] !== undefined) options.allowedOrigins = values['allow-origin'].map(parseOrigin);
  if (values['allow-host'] !== undefined) options.allowedHosts = values['allow-host'];
  if (values['secret-id'] !== undefined) options.secretId = values['secret-id'];
  if (values['secret-key'] !== undefined) options.secretKey = values['secret-key'];
  if (values['app-secret-key'] !== undefined) options.appSecretKey = values['app-secret-key'];
  if (values['drop-timeout'] !== undefined) options.dropTimeoutMs = parseDuration(values['drop-timeout']);
  if (values['sdk-app-id'] !== undefined) options.sdkAppIds = values['sdk-app-id'].map(parseSdkAppId);
  return options;
}

async function main(args: string[]): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args);
  } catch (error) {
    console.error(`trtc-room-emulator: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const { quiet, ...serverOptions } = options;
  if (!quiet) serverOptions.log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

  let server: Awaited<ReturnType<typeof startEmulatorServer>>;
  try {
    server = await startEmulatorServer(serverOptions);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${serverOptions.port} on ${serverOptions.host} is in use; pick another with --port.`
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`trtc-room-emulator: cannot listen: ${reason}`);
    process.exitCode = 1;
    return;
  }

  const dropTimeout = serverOptions.dropTimeoutMs ?? DEFAULT_DROP_TIMEOUT_MS;
  console.log(`trtc-room-emulator listening on ${server.url}

  Pages (trtc-room/testing)  connectTrtcEmulator('${server.webSocketUrl}')
  Tencent Cloud API 3.0      endpoint ${server.apiEndpoint}, protocol http://, version 2019-07-22
    SecretId                 ${server.credentials.secretId}
    SecretKey                ${server.credentials.secretKey}
  Rooms (JSON)               ${server.url}/rooms
  SDKAppIDs                  ${server.service.knownSdkAppIds.join(', ')}
  Real SDKs (signalling and media; ${server.url}/proxy answers the same JSON)
${SIGNALLING_DIALECTS.map((d) => `    ${d.sdk.padEnd(23)}${d.key === 'v4' ? 'client.setProxyServer' : 'enterRoom({ proxy })'} ${JSON.stringify(server.proxy[d.key])}`).join('\n')}
  UserSig check              ${serverOptions.appSecretKey !== undefined ? 'on' : 'off (give --app-secret-key to check signatures)'}
  Pages allowed              ${['its own origin', ...(serverOptions.allowedOrigins ?? [])].join(', ')} (--allow-origin adds one)
  Dropped connections leave their room after ${dropTimeout % 1000 === 0 ? `${dropTimeout / 1000} s` : `${dropTimeout} ms`}.

Ctrl+C stops it.`);

  const stop = (signal: string) => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    server.close().then(
      () => {
        console.log(`trtc-room-emulator stopped (${signal}).`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('trtc-room-emulator failed to stop:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error) => {
  console.error('trtc-room-emulator failed:', error);
  process.exit(1);
});
