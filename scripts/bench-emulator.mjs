// The networked emulator in a process of its own, for the real-SDK media rows of scripts/bench.mjs, so that its CPU
// time and RSS are the emulator's alone. Started with `fork()`; argv[2] is the page script (bench/real-sdk-media-page.js
// bundled), which it serves at /bench-media from its own origin. It sends { url } once listening, and answers each
// 'usage' message with this process's cpuUsage() (µs), its RSS (bytes) and the media server's counts.
import { readFileSync } from 'node:fs';
import { loadTs } from './load-ts.mjs';

const script = readFileSync(process.argv[2], 'utf8');
const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
const server = await startEmulatorServer({
  port: 0,
  handleRequest(request, response) {
    if (request.url === '/bench-media') {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><meta charset=utf-8><title>bench</title><script type="module" src="/bench-media.js"></script>',
        );
      return true;
    }
    if (request.url === '/bench-media.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return true;
    }
    return false;
  },
});
process.on('message', (message) => {
  if (message === 'usage') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  else if (message === 'close') void server.close().then(() => process.exit(0));
});
process.send({ url: server.url });
