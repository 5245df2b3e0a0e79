// The emulator on a developer's machine, tried as another web page (or another host name) would: it answers its
// own host names only, lets in pages of its own origin (or allowed ones) only, and Node clients always.
// Real HTTP and WebSocket on loopback, ports picked by the system. docs/security.md states these rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { bundleTs, loadTs } from '../../scripts/load-ts.mjs';
import { bannerOf, join, openSocket, send, startTestEmulator } from './support/local-server.mjs';

const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
const APP = 1400000001;
const FOREIGN = 'http://evil.example';

const emulator = startTestEmulator;

test('HTTP requests naming a foreign Host are refused with 403 and a reason, on every path (DNS rebinding)', async (t) => {
  const server = await emulator(t);
  for (const request of [
    { path: '/rooms' },
    { path: '/' },
    { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{}' },
  ]) {
    const answer = await send(server, {
      ...request,
      headers: { ...request.headers, host: `evil.example:${server.port}` },
    });
    assert.equal(answer.status, 403, `${request.method ?? 'GET'} ${request.path}`);
    const { error } = JSON.parse(answer.body);
    assert.equal(error.code, 'ForeignHost');
    assert.match(error.message, /evil\.example.*is not this server's.*--allow-host/);
  }
  assert.ok(
    server.lines.some((line) => line.startsWith('Refused HTTP GET "/rooms"') && line.includes('ForeignHost')),
    server.lines.join('\n'),
  );
});

test('a WebSocket upgrade naming a foreign Host is refused with 403', async (t) => {
  const server = await emulator(t);
  const refused = await openSocket(server.webSocketUrl, { host: `evil.example:${server.port}` });
  assert.equal(refused.status, 403);
  assert.match(refused.body, /ForeignHost/);
  assert.deepEqual(server.rooms(), []);
});

test('requests naming localhost, 127.0.0.1, [::1] or an allowed host name, each with the port, are answered', async (t) => {
  const server = await emulator(t, { allowedHosts: ['emulator.test'] });
  for (const host of ['localhost', '127.0.0.1', '[::1]', 'emulator.test', 'LOCALHOST']) {
    assert.equal(
      (await send(server, { path: '/rooms', headers: { host: `${host}:${server.port}` } })).status,
      200,
      host,
    );
  }
  assert.equal(
    (await send(server, { path: '/rooms', headers: { host: `127.0.0.1:${server.port + 1}` } })).status,
    403,
    'another port is another server',
  );
  assert.equal((await send(server, { path: '/rooms', headers: { host: 'localhost' } })).status, 403, 'no port');
});

test('a WebSocket join from a page of a foreign Origin is refused before it joins, and kicks nobody', async (t) => {
  const server = await emulator(t);
  const alice = await openSocket(server.webSocketUrl, { origin: server.url });
  const { session, ...reply } = await join(alice.socket, { userId: 'alice' });
  assert.deepEqual(reply, { type: 'reply', id: 1, ok: true });
  assert.equal(typeof session, 'string', 'the join names the session a reconnection resumes');
  for (const origin of [FOREIGN, `http://localhost:${server.port + 1}`, 'null']) {
    const refused = await openSocket(server.webSocketUrl, { origin });
    assert.equal(refused.status, 403, origin);
    assert.match(refused.body, /ForeignOrigin/);
  }
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [['alice']],
  );
  alice.socket.close();
});

test("WebSocket joins are allowed with no Origin (Node clients), from the server's own origins, and from an origin allowed by option", async (t) => {
  const server = await emulator(t, { allowedOrigins: ['http://localhost:5173'] });
  const users = [
    ['node', undefined],
    ['same', server.url],
    ['samebyname', `http://localhost:${server.port}`],
    ['allowed', 'http://localhost:5173'],
  ];
  for (const [userId, origin] of users) {
    const { socket, status } = await openSocket(server.webSocketUrl, { origin });
    assert.equal(status, undefined, `${userId} was refused`);
    assert.equal((await join(socket, { userId })).ok, true);
    t.after(() => socket.close());
  }
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [users.map(([userId]) => userId)],
  );
});

test('WebSocket messages are never compressed (no permessage-deflate): nothing a client sends is inflated before it is authenticated', async (t) => {
  const server = await emulator(t);
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(server.webSocketUrl, { perMessageDeflate: true });
  await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
  assert.equal(socket.extensions, '', 'the client offered permessage-deflate; the server declined');
  socket.close();
});

test("a state-changing request (POST /, Tencent Cloud API) from a page of a foreign Origin is refused; Tencent's Node SDK (no Origin) still works", async (t) => {
  const server = await emulator(t);
  const alice = await openSocket(server.webSocketUrl);
  await join(alice.socket, { userId: 'alice' });
  const forged = await send(server, {
    method: 'POST',
    path: '/',
    headers: { origin: FOREIGN, 'content-type': 'text/plain', 'x-tc-action': 'DismissRoom' },
    body: '{"SdkAppId":1400000001,"RoomId":1}',
  });
  assert.equal(forged.status, 403);
  assert.equal(JSON.parse(forged.body).error.code, 'ForeignOrigin');
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [['alice']],
  );
  const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
    credential: server.credentials,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: server.apiEndpoint, protocol: 'http://' } },
  });
  await admin.request('DismissRoom', { SdkAppId: APP, RoomId: 1 });
  assert.deepEqual(server.rooms(), []);
});

for (const path of ['/rooms', '/proxy']) {
  test(`GET ${path} sends CORS headers to allowed origins only: not to other sites, not as *`, async (t) => {
    const server = await emulator(t, { allowedOrigins: ['http://localhost:5173'] });
    const answerTo = (origin) => send(server, { path, headers: origin ? { origin } : {} });
    const corsFor = async (origin) => (await answerTo(origin)).headers['access-control-allow-origin'];
    assert.equal(await corsFor(FOREIGN), undefined);
    assert.equal(await corsFor(undefined), undefined);
    assert.equal(await corsFor('http://localhost:5173'), 'http://localhost:5173');
    assert.equal((await answerTo(FOREIGN)).headers.vary, 'Origin', 'caches keep answers to different origins apart');
  });
}

test('an allowed origin that is not an origin is refused when the server starts, saying how to write it', async () => {
  await assert.rejects(
    startEmulatorServer({ port: 0, allowedOrigins: ['localhost:5173/app'] }),
    /is not an origin.*http:\/\/localhost:5173/,
  );
});

test('log lines show a forged userId escaped and quoted: no new line, no terminal escape', async (t) => {
  const server = await emulator(t);
  const forged = 'x\n[23:59:59] mallory joined room 1 of app 1400000001\u001b[31m\u009b2J';
  const { socket } = await openSocket(server.webSocketUrl);
  const reply = await join(socket, { userId: forged });
  assert.equal(reply.ok, false);
  socket.close();
  const line = server.lines.find((entry) => entry.includes('could not join'));
  assert.ok(line, server.lines.join('\n'));
  assert.ok(
    line.startsWith('"x\\n[23:59:59] mallory joined room 1 of app 1400000001\\u001b[31m\\u009b2J" could not join'),
    line,
  );
  for (const entry of server.lines)
    assert.doesNotMatch(entry, /[\u0000-\u001f\u007f-\u009f]/, 'no line carries a control character');
  const alice = await openSocket(server.webSocketUrl);
  await join(alice.socket, { userId: 'alice', roomId: 'standup' });
  alice.socket.close();
  assert.ok(server.lines.includes('"alice" joined room "standup" of app 1400000001'), server.lines.join('\n'));
});

test("log lines escape control characters inside a forged userSig's fields too", async (t) => {
  const { deflateSync } = await import('node:zlib');
  const server = await emulator(t, { appSecretKey: 'the-app-key' });
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': 'alice',
    'TLS.sdkappid': '1\n[23:59:59] "bob" joined room 1',
    'TLS.time': 1,
    'TLS.expire': 1,
    'TLS.sig': 'x',
  };
  const userSig = deflateSync(JSON.stringify(doc))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
  const { socket } = await openSocket(server.webSocketUrl);
  assert.equal((await join(socket, { userId: 'alice', userSig })).ok, false);
  socket.close();
  assert.equal(server.lines.filter((line) => line.includes('joined room')).length, 1, server.lines.join('\n'));
  assert.match(
    server.lines.find((line) => line.includes('could not join')),
    /SDKAppID 1\\u000a\[23:59:59\]/,
  );
});

test('the trtc-room-emulator command warns, on stderr, what other machines can reach when it listens on 0.0.0.0', async (t) => {
  const file = await bundleTs('src/emulator/node/cli.ts');
  t.after(() => rmSync(file, { force: true }));
  const { stderr } = await bannerOf(t, [file, '--host', '0.0.0.0', '--port', '0', '--quiet']);
  assert.match(stderr, /WARNING: the TRTC emulator listens on 0\.0\.0\.0 \(every network interface\)/);
  assert.match(stderr, /read every room and user id/);
  assert.match(stderr, /join any room as any user/);
  assert.match(stderr, /Tencent Cloud API/);
});

test('the emulator prints no warning on loopback', async (t) => {
  const warnings = [];
  await emulator(t, { warn: (message) => warnings.push(message) });
  await emulator(t, { host: 'localhost', warn: (message) => warnings.push(message) });
  assert.deepEqual(warnings, []);
});
