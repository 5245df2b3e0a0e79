// A static file server on 127.0.0.1 for test and benchmark pages: serves `dir` (nothing outside it), with
// `headers` on every file, and reports each file served to `onServe(path, bytes)`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

export async function serveDirectory(dir, { headers = {}, onServe = () => {} } = {}) {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    let path = resolve(root, `.${decodeURIComponent(new URL(request.url, 'http://x').pathname)}`);
    if (path !== root && !path.startsWith(root + sep)) return response.writeHead(403).end();
    if (path === root || request.url.endsWith('/')) path = resolve(path, 'index.html');
    let body;
    try {
      body = readFileSync(path);
    } catch {
      return response.writeHead(404).end();
    }
    onServe(path.slice(root.length + 1), body.length);
    response.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...headers,
    });
    response.end(body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}
