// Talking to a local server (the emulator, the demo) the way other clients would: with exactly the headers a
// test chooses, Host and Origin included (fetch sets neither), over real HTTP and WebSocket.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { loadTs } from '../../../scripts/load-ts.mjs';

const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');

/** The emulator in-process on an ephemeral loopback port, closed after the test; `lines` holds what it logged. */
export async function startTestEmulator(t, options = {}) {
  const lines = [];
  const server = await startEmulatorServer({ port: 0, host: '127.0.0.1', log: (line) => lines.push(line), ...options });
  t.after(() => server.close());
  return Object.assign(server, { lines });
}

/** One HTTP request to `address`:`port`: resolves to its status, headers and body. Host defaults to `address:port`. */
export function send({ address = '127.0.0.1', port }, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: address, port, method, path, headers: { host: `${address}:${port}`, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Opens a WebSocket with this Host and Origin: resolves to `{ socket }` once open, or to the refusal's `{ status, body }`. */
export function openSocket(url, { host, origin } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { ...(origin ? { origin } : {}), ...(host ? { headers: { host } } : {}) });
    socket.on('open', () => resolve({ socket }));
    socket.on('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    socket.on('error', reject);
  });
}

/** Sends one join (the emulator's wire protocol) over an open socket: resolves to the reply. */
export function join(socket, fields) {
  return new Promise((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'reply') resolve(message);
    });
    socket.send(JSON.stringify({ id: 1, type: 'join', sdkAppId: 1400000001, roomId: 1, userSig: 'sig', ...fields }));
  });
}

/**
 * Runs a server command (`node <args>`) until its banner ends with "Ctrl+C", then stops it with SIGINT:
 * resolves to what it printed on stdout and stderr by then. The test's end kills it if it still runs.
 */
export async function bannerOf(t, args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${stdout} ${stderr}`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('Ctrl+C')) resolve();
    });
  });
  child.removeAllListeners('exit');
  child.kill('SIGINT');
  return { stdout, stderr };
}
