// `npm start`: builds and starts the demo server (demo/server.ts) and prints the page's URL.
// PORT and HOST override 8080 and 127.0.0.1; --verbose logs every join, leave and API call.
// `npm start -- --allow-origin http://localhost:5173` lets pages from that origin in (repeatable),
// `--allow-host <name>` answers one more host name, `--allow-remote-admin` serves /api/user-sig and /api/admin
// to other machines (docs/security.md).
import { parseArgs } from 'node:util';
import { loadTs } from '../scripts/load-ts.mjs';

let flags;
try {
  ({ values: flags } = parseArgs({
    options: {
      verbose: { type: 'boolean', default: false },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      'allow-host': { type: 'string', multiple: true, default: [] },
      'allow-remote-admin': { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  console.error(
    `npm start: ${error.message}\nOptions: --verbose, --allow-origin <origin> (repeatable), --allow-host <name> (repeatable), --allow-remote-admin`,
  );
  process.exit(2);
}

const { startDemoServer, DEMO_SDK_APP_ID } = await loadTs('demo/server.ts');
const server = await startDemoServer({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  allowedOrigins: flags['allow-origin'],
  allowedHosts: flags['allow-host'],
  allowRemoteAdmin: flags['allow-remote-admin'],
  log: flags.verbose ? (line) => console.log(line) : undefined,
}).catch((error) => {
  console.error(`npm start: cannot start the demo: ${error.message}`);
  process.exit(1);
});
console.log(`<trtc-room> demo: ${server.url}`);
console.log(`  Local TRTC emulator (SDKAppID ${DEMO_SDK_APP_ID}); WebSocket ${server.emulator.webSocketUrl}`);
console.log(
  `  Tencent Cloud API endpoint ${server.emulator.apiEndpoint} (http), SecretId ${server.emulator.credentials.secretId}`,
);
console.log('  Open the page in two tabs and join with the same user id. Ctrl+C stops.');
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
