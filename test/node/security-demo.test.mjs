// The demo server (`npm start`) on a developer's machine, tried as another web page, another host name and
// another machine would: its admin endpoint and user signatures serve this machine's own page only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { loadTs } from '../../scripts/load-ts.mjs';
import { bannerOf, join, openSocket, send } from './support/local-server.mjs';

const root = resolve(import.meta.dirname, '../..');
const { startDemoServer, DEMO_SDK_APP_ID } = await loadTs('demo/server.ts');
const FOREIGN = 'http://evil.example';
const REMOVE_ALICE = JSON.stringify({ action: 'RemoveUser', sdkAppId: DEMO_SDK_APP_ID, roomId: 1, userIds: ['alice'] });

async function demo(t, options = {}) {
  const server = await startDemoServer({ port: 0, ...options });
  t.after(() => server.close());
  return Object.assign(server, { port: server.emulator.port, address: options.host ?? '127.0.0.1' });
}

/** Alice joins room 1 with a signature from the demo's own /api/user-sig, as its page does. */
async function aliceJoins(server) {
  const { userSig } = JSON.parse(
    (await send(server, { path: `/api/user-sig?sdkAppId=${DEMO_SDK_APP_ID}&userId=alice` })).body,
  );
  const { socket } = await openSocket(server.emulator.webSocketUrl, { origin: server.url.replace(/\/$/, '') });
  assert.equal((await join(socket, { sdkAppId: DEMO_SDK_APP_ID, userId: 'alice', userSig })).ok, true);
  return socket;
}
const members = (server) => server.emulator.rooms().map((room) => room.members);

test('a cross-origin text/plain POST to /api/admin (a CSRF form or no-cors fetch) is refused and changes nothing', async (t) => {
  const server = await demo(t);
  t.after(await aliceJoins(server).then((socket) => () => socket.close()));
  const forged = await send(server, {
    method: 'POST',
    path: '/api/admin',
    headers: { origin: FOREIGN, 'content-type': 'text/plain' },
    body: REMOVE_ALICE,
  });
  assert.equal(forged.status, 403);
  assert.equal(JSON.parse(forged.body).error.code, 'ForeignOrigin');
  assert.deepEqual(members(server), [['alice']]);
});

test("POST /api/admin takes Content-Type: application/json only, even from the demo's own origin", async (t) => {
  const server = await demo(t);
  t.after(await aliceJoins(server).then((socket) => () => socket.close()));
  const own = server.url.replace(/\/$/, '');
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
    const answer = await send(server, {
      method: 'POST',
      path: '/api/admin',
      headers: { origin: own, ...(type ? { 'content-type': type } : {}) },
      body: REMOVE_ALICE,
    });
    assert.equal(answer.status, 415, String(type));
    assert.match(JSON.parse(answer.body).error.message, /Content-Type: application\/json/);
  }
  assert.deepEqual(members(server), [['alice']]);
  const answer = await send(server, {
    method: 'POST',
    path: '/api/admin',
    headers: { origin: own, 'content-type': 'application/json; charset=utf-8' },
    body: REMOVE_ALICE,
  });
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(members(server), []);
});

test('the demo refuses a foreign Host on /api/user-sig, /api/admin, its page and its WebSocket (DNS rebinding)', async (t) => {
  const server = await demo(t);
  const host = `rebound.example:${server.port}`;
  for (const request of [
    { path: `/api/user-sig?sdkAppId=${DEMO_SDK_APP_ID}&userId=alice` },
    { path: '/' },
    { method: 'POST', path: '/api/admin', headers: { 'content-type': 'application/json' }, body: REMOVE_ALICE },
  ]) {
    const answer = await send(server, { ...request, headers: { ...request.headers, host } });
    assert.equal(answer.status, 403, request.path);
    assert.doesNotMatch(answer.body, /userSig/);
  }
  assert.equal((await openSocket(server.emulator.webSocketUrl, { host })).status, 403);
});

/** This machine's first address that is not loopback, if it has one. */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

test(
  'the demo serves /api/user-sig and /api/admin to clients on other addresses only with allowRemoteAdmin',
  { skip: otherAddress ? false : 'this machine has no address but loopback' },
  async (t) => {
    const warnings = [];
    const server = await demo(t, { host: otherAddress, warn: (message) => warnings.push(message) });
    // Reached through a non-loopback address, the client's address is not loopback either.
    const userSig = await send(server, { path: `/api/user-sig?sdkAppId=${DEMO_SDK_APP_ID}&userId=alice` });
    assert.equal(userSig.status, 403);
    assert.equal(JSON.parse(userSig.body).error.code, 'RemoteClient');
    assert.match(JSON.parse(userSig.body).error.message, /--allow-remote-admin/);
    const admin = await send(server, {
      method: 'POST',
      path: '/api/admin',
      headers: { 'content-type': 'application/json' },
      body: REMOVE_ALICE,
    });
    assert.equal(admin.status, 403);
    assert.equal((await send(server, { path: '/' })).status, 200, 'the page itself is served');
    assert.match(
      warnings.join('\n'),
      /WARNING: .* listens on .*\n[^]*\/api\/user-sig and \/api\/admin still answer this machine only/,
    );

    const open = await demo(t, {
      host: otherAddress,
      allowRemoteAdmin: true,
      warn: (message) => warnings.push(message),
    });
    assert.equal((await send(open, { path: `/api/user-sig?sdkAppId=${DEMO_SDK_APP_ID}&userId=alice` })).status, 200);
    assert.match(warnings.at(-1), /anyone on the network can sign in as anyone and throw anyone out/);
  },
);

test('npm start with HOST=0.0.0.0 warns, on stderr, what other machines can reach', async (t) => {
  const { stderr } = await bannerOf(t, [resolve(root, 'demo/start.mjs')], { HOST: '0.0.0.0', PORT: '0' });
  assert.match(stderr, /WARNING: .* listens on 0\.0\.0\.0 \(every network interface\)/);
  assert.match(stderr, /read every room and user id/);
  assert.match(stderr, /\/api\/user-sig and \/api\/admin still answer this machine only/);
});
