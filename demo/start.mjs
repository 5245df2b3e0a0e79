// `npm start`: builds and starts the demo server (demo/server.ts) and prints the page's URL.
// PORT and HOST override 8080 and 127.0.0.1; --verbose logs every join, leave and API call.
import { loadTs } from '../scripts/load-ts.mjs';

const { startDemoServer, DEMO_SDK_APP_ID } = await loadTs('demo/server.ts');
const server = await startDemoServer({
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
  log: process.argv.includes('--verbose') ? (line) => console.log(line) : undefined,
});
console.log(`<trtc-room> demo: ${server.url}`);
console.log(`  Local TRTC emulator (SDKAppID ${DEMO_SDK_APP_ID}); WebSocket ${server.emulator.webSocketUrl}`);
console.log(`  Tencent Cloud API endpoint ${server.emulator.apiEndpoint} (http), SecretId ${server.emulator.credentials.secretId}`);
console.log('  Open the page in two tabs and join with the same user id. Ctrl+C stops.');
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
