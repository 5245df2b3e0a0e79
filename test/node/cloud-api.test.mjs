// The emulator's Tencent Cloud API 3.0 rules beyond signatures: the SDKAppIDs it knows, the regions TRTC's
// room actions take (X-TC-Region), and the request rate limit; and the room service's SDKAppIDs, modes and
// roles as pages on the network see them, in both SDK shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { WebSocket } from 'ws';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { bundleTs, loadTs } from '../../scripts/load-ts.mjs';
import { startTestEmulator } from './support/local-server.mjs';

const require = createRequire(import.meta.url);
const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;

const { connectTrtcEmulator } = await loadTs('src/emulator/page/remote.ts');
const { CloudApi, MAX_REQUESTS_PER_SECOND } = await loadTs('src/emulator/node/cloud-api.ts');
const { RoomService } = await loadTs('src/emulator/core/room-service.ts');

const APP = 1400000001;
const WAIT_MS = 10_000;

const emulator = startTestEmulator;

/** Tencent's own Node SDK, pointed at the emulator; it sends X-TC-Region from `region`. */
const tencentCloud = (server, region = 'ap-guangzhou') =>
  new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
    credential: server.credentials,
    region,
    profile: { httpProfile: { endpoint: server.apiEndpoint, protocol: 'http://' } },
  });

/** The Tencent Cloud error code a request is refused with, or 'OK'. */
const outcome = (request) =>
  request.then(
    () => 'OK',
    (error) => error.code,
  );

/** A request signed by Tencent's own signing code, as CloudApi.handle() takes it (`region: null`: no X-TC-Region). */
function signedRequest(
  credentials,
  {
    action = 'DismissRoom',
    region = 'ap-guangzhou',
    body = { SdkAppId: APP, RoomId: 1 },
    timestamp = Math.floor(Date.now() / 1000),
  } = {},
) {
  const headers = {
    'Content-Type': 'application/json',
    'X-TC-Action': action,
    'X-TC-Version': '2019-07-22',
    'X-TC-Timestamp': String(timestamp),
  };
  if (region !== null) headers['X-TC-Region'] = region;
  const authorization = Sign.sign3({
    method: 'POST',
    url: 'https://trtc.tencentcloudapi.com/',
    payload: body,
    timestamp,
    service: 'trtc',
    ...credentials,
    headers,
  });
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    method: 'POST',
    path: '/',
    query: '',
    headers: { ...lower, host: 'trtc.tencentcloudapi.com', authorization },
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}
const errorCodeOf = (answer) => answer.response.Response.Error?.Code ?? 'OK';

function recordV5(trtc) {
  const events = [];
  for (const name of ['error', 'kicked-out', 'remote-user-enter', 'remote-user-exit', 'connection-state-changed'])
    trtc.on(name, (payload) => events.push({ name, payload }));
  return {
    events,
    of: (name) => events.filter((event) => event.name === name).map((event) => event.payload),
    waitFor: (name, matches = () => true) =>
      waitUntil(() => events.find((event) => event.name === name && matches(event.payload))?.payload),
  };
}

test("X-TC-Region is required and must be one TRTC's room actions take: ap-beijing, ap-guangzhou, ap-singapore", async (t) => {
  const server = await emulator(t);
  for (const region of ['ap-beijing', 'ap-guangzhou', 'ap-singapore']) {
    assert.equal(
      await outcome(tencentCloud(server, region).request('RemoveUser', { SdkAppId: APP, RoomId: 1, UserIds: ['a'] })),
      'FailedOperation.RoomNotExist',
      region,
    );
  }
  assert.equal(
    await outcome(
      tencentCloud(server, 'ap-shanghai').request('RemoveUser', { SdkAppId: APP, RoomId: 1, UserIds: ['a'] }),
    ),
    'UnsupportedRegion',
  );
  assert.equal(
    await outcome(tencentCloud(server, 'mars-1').request('DismissRoom', { SdkAppId: APP, RoomId: 1 })),
    'UnsupportedRegion',
  );

  const api = new CloudApi(new RoomService(), server.credentials);
  const missing = api.handle(signedRequest(server.credentials, { region: null })).response.Response.Error;
  assert.equal(missing.Code, 'MissingParameter');
  assert.match(missing.Message, /X-TC-Region/);
});

test('more than 20 requests a second with one SecretId get RequestLimitExceeded; the next second is answered again', async () => {
  const credentials = { secretId: 'AKIDrate', secretKey: 'rate-key' };
  const clock = { ms: 1_800_000_000_000 };
  const service = new RoomService();
  const bob = { removed() {}, peerJoin() {}, peerLeave() {} };
  await service.join({ sdkAppId: APP, roomId: 1, userId: 'bob', userSig: 'sig' }, bob);
  const api = new CloudApi(service, credentials, {
    nowMs: () => clock.ms,
    nowSeconds: () => Math.floor(clock.ms / 1000),
  });
  const timestamp = Math.floor(clock.ms / 1000);
  // Removing someone not in the room: answered, and changes nothing.
  const request = () =>
    signedRequest(credentials, {
      action: 'RemoveUser',
      body: { SdkAppId: APP, RoomId: 1, UserIds: ['nobody'] },
      timestamp,
    });

  const first = [];
  for (let i = 0; i < MAX_REQUESTS_PER_SECOND; i++) {
    first.push(errorCodeOf(api.handle(request())));
    clock.ms += 10;
  }
  assert.equal(MAX_REQUESTS_PER_SECOND, 20);
  assert.deepEqual(new Set(first), new Set(['OK']), 'the first 20 in the second are answered');
  const refused = api.handle(request());
  assert.equal(errorCodeOf(refused), 'RequestLimitExceeded');
  assert.ok(refused.response.Response.RequestId);

  clock.ms += 1000 - 20 * 10; // one second after the first request
  assert.equal(errorCodeOf(api.handle(request())), 'OK');
  assert.deepEqual(
    service.snapshot().map((room) => room.members),
    [['bob']],
  );
});

test('an SDKAppID the emulator does not know gets UnauthorizedOperation.SdkAppId from the API; one given by option exists', async (t) => {
  const server = await emulator(t);
  assert.equal(
    await outcome(tencentCloud(server).request('DismissRoom', { SdkAppId: 1400000002, RoomId: 1 })),
    'UnauthorizedOperation.SdkAppId',
  );
  assert.equal(
    await outcome(
      tencentCloud(server).request('RemoveUserByStrRoomId', { SdkAppId: 1400000002, RoomId: 'a', UserIds: ['x'] }),
    ),
    'UnauthorizedOperation.SdkAppId',
  );

  const more = await emulator(t, { sdkAppIds: [APP, 1400000002] });
  assert.equal(
    await outcome(tencentCloud(more).request('DismissRoom', { SdkAppId: 1400000002, RoomId: 1 })),
    'FailedOperation.RoomNotExist',
  );
});

test("over the network, a join for an unknown SDKAppID is refused: v4 JOIN_ROOM_FAILED (0x4004), v5 SERVER_ERROR (5400) with the service's code -3317 as extraCode", async (t) => {
  const server = await emulator(t);
  const page = connectTrtcEmulator(server.webSocketUrl, { WebSocket });
  const v4 = await page.sdk
    .createClient({ sdkAppId: 1400000002, userId: 'alice', userSig: 'sig', mode: 'rtc' })
    .join({ roomId: 1 })
    .catch((error) => error);
  assert.equal(v4.getCode(), 0x4004);
  const v5 = await page.sdkV5
    .create()
    .enterRoom({ sdkAppId: 1400000002, roomId: 1, userId: 'alice', userSig: 'sig' })
    .catch((error) => error);
  assert.deepEqual([v5.name, v5.code, v5.extraCode], ['SERVER_ERROR', 5400, -3317]);
  assert.match(v5.message, /SDKAppID 1400000002 does not exist/);
  assert.deepEqual(server.rooms(), []);
});

test('over the network, mode and role reach the service: a live audience member is not announced, a live anchor is', async (t) => {
  const server = await emulator(t);
  const page = connectTrtcEmulator(server.webSocketUrl, { WebSocket });
  const host = page.sdkV5.create();
  const heard = recordV5(host);
  await host.enterRoom({ sdkAppId: APP, roomId: 5, userId: 'host', userSig: 'sig', scene: 'live', role: 'anchor' });
  await page.sdkV5
    .create()
    .enterRoom({ sdkAppId: APP, roomId: 5, userId: 'viewer', userSig: 'sig', scene: 'live', role: 'audience' });
  await page.sdkV5
    .create()
    .enterRoom({ sdkAppId: APP, roomId: 5, userId: 'guest', userSig: 'sig', scene: 'live', role: 'anchor' });
  await heard.waitFor('remote-user-enter', (p) => p.userId === 'guest');
  assert.deepEqual(heard.of('remote-user-enter'), [{ userId: 'guest' }]);
  assert.deepEqual(server.service.snapshot()[0].memberships, [
    { userId: 'host', mode: 'live', role: 'anchor' },
    { userId: 'viewer', mode: 'live', role: 'audience' },
    { userId: 'guest', mode: 'live', role: 'anchor' },
  ]);
});

test('v5 over the network: a dropped peer is removed after the drop timeout, and REMOTE_USER_EXIT says why (reason 1, timeout)', async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 50 });
  const sockets = [];
  // Once bob's socket is cut, his reconnections (the v5 double retries, as trtc-sdk-v5 does) find no server.
  let unreachable = false;
  class KeptWebSocket extends WebSocket {
    constructor(url) {
      super(unreachable ? 'ws://127.0.0.1:9/' : url);
      sockets.push(this);
    }
  }
  const page = connectTrtcEmulator(server.webSocketUrl, { WebSocket: KeptWebSocket });
  const alice = page.sdkV5.create();
  const heard = recordV5(alice);
  await alice.enterRoom({ sdkAppId: APP, roomId: 1, userId: 'alice', userSig: 'sig' });
  const bob = page.sdkV5.create();
  const bobHeard = recordV5(bob);
  await bob.enterRoom({ sdkAppId: APP, roomId: 1, userId: 'bob', userSig: 'sig' });
  unreachable = true;
  sockets[1].terminate();
  assert.deepEqual(await heard.waitFor('remote-user-exit'), { userId: 'bob', reason: 1 });

  // The dropped instance itself goes on trying, as trtc-sdk-v5 does (its signalling retries without end):
  // DISCONNECTED, then CONNECTING again, and no exit of its own.
  await bobHeard.waitFor('connection-state-changed', (p) => p.state === 'DISCONNECTED');
  await bobHeard.waitFor('connection-state-changed', (p) => p.state === 'CONNECTING' && p.prevState === 'DISCONNECTED');
  assert.deepEqual(
    bobHeard
      .of('connection-state-changed')
      .map((p) => p.state)
      .slice(0, 4),
    ['CONNECTING', 'CONNECTED', 'DISCONNECTED', 'CONNECTING'],
  );
  await bob.exitRoom();
  assert.equal(bob.joined, false);
});

test('v5 over the network: with no emulator listening, enterRoom rejects with OPERATION_FAILED (5500), as the real SDK does offline', async (t) => {
  const server = await emulator(t);
  const page = connectTrtcEmulator(server.webSocketUrl, { WebSocket });
  await server.close();
  const error = await page.sdkV5
    .create()
    .enterRoom({ sdkAppId: APP, roomId: 1, userId: 'alice', userSig: 'sig' })
    .catch((e) => e);
  assert.deepEqual([error.name, error.code, error.extraCode], ['OPERATION_FAILED', 5500, undefined]);
  assert.match(error.message, /^'enterRoom' failed, reason: .*trtc-room-emulator/);
});

test('the trtc-room-emulator command takes the SDKAppIDs that exist from --sdk-app-id, repeatable, and names them at start', async (t) => {
  const file = await bundleTs('src/emulator/node/cli.ts');
  t.after(() => rmSync(file, { force: true }));
  const cli = spawn(
    process.execPath,
    [file, '--port', '0', '--quiet', '--sdk-app-id', '1400000007', '--sdk-app-id', '1400000008'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => cli.on('exit', (code) => resolve(code)));
  t.after(() => cli.exitCode === null && cli.kill('SIGKILL'));
  let stdout = '';
  cli.stdout.on('data', (chunk) => (stdout += chunk));
  await waitUntil(() => stdout.includes('Ctrl+C'));
  assert.match(stdout, /SDKAppIDs\s+1400000007, 1400000008/);
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)[1];
  const page = connectTrtcEmulator(`${url}/trtc`, { WebSocket });
  await page.sdkV5.create().enterRoom({ sdkAppId: 1400000008, roomId: 1, userId: 'alice', userSig: 'sig' });
  const refused = await page.sdkV5
    .create()
    .enterRoom({ sdkAppId: APP, roomId: 1, userId: 'bob', userSig: 'sig' })
    .catch((e) => e);
  assert.equal(refused.code, 5400);
  cli.kill('SIGINT');
  assert.equal(await exited, 0);

  const bad = spawn(process.execPath, [file, '--sdk-app-id', 'app'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  bad.stderr.on('data', (chunk) => (stderr += chunk));
  assert.equal(await new Promise((resolve) => bad.on('exit', resolve)), 2);
  assert.match(stderr, /--sdk-app-id "app" is not an SDKAppID/);
});

async function waitUntil(condition) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
