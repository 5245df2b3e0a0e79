// The networked emulator: emulated SDK clients joining over WebSocket (the same v4 client pages get from
// `connectTrtcEmulator`), and an app server calling Tencent Cloud API 3.0 on it through Tencent's OFFICIAL
// Node SDK (`tencentcloud-sdk-nodejs-common`'s CommonClient), changed only in its endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { loadTs } from '../../scripts/load-ts.mjs';
import { hasBuiltDist } from '../../scripts/built-dist.mjs';
import { startTestEmulator } from './support/local-server.mjs';

const require = createRequire(import.meta.url);
const Sign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js').default;
const { Api: TlsSigApi } = require('tls-sig-api-v2');

const { connectTrtcEmulator } = await loadTs('src/emulator/page/remote.ts');

const APP = 1400000001;
const WAIT_MS = 10_000;

const emulator = startTestEmulator;

/** A page's view of the emulator, in Node: ws's WebSocket, with every socket kept so a test can cut one. */
function page(server, options = {}) {
  const sockets = [];
  class KeptWebSocket extends WebSocket {
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  return Object.assign(connectTrtcEmulator(server.webSocketUrl, { WebSocket: KeptWebSocket, ...options }), { sockets });
}

/** Records a client's SDK events; `waitFor` finds one that already came or waits for it. */
function record(client) {
  const events = [];
  const waiters = new Set();
  for (const name of ['client-banned', 'peer-join', 'peer-leave', 'error', 'connection-state-changed']) {
    client.on(name, (payload) => {
      events.push({ name, payload });
      for (const waiter of [...waiters]) waiter();
    });
  }
  return {
    events,
    of: (name) => events.filter((event) => event.name === name).map((event) => event.payload),
    waitFor(name, matches = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((event) => event.name === name && matches(event.payload));
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found.payload);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${name} event within ${WAIT_MS} ms; saw ${JSON.stringify(events)}`));
        }, WAIT_MS);
        waiters.add(check);
        check();
      });
    },
  };
}

/** Joins `userId` to a numeric room (a number) or a string room (a string) through `connection`. */
async function member(connection, userId, roomId, extra = {}) {
  const client = connection.sdk.createClient({
    sdkAppId: APP,
    userId,
    userSig: 'sig',
    mode: 'rtc',
    useStringRoomId: typeof roomId === 'string',
    ...extra,
  });
  const events = record(client);
  await client.join({ roomId });
  return { userId, roomId, client, events };
}

/** Tencent's own SDK client, pointed at the emulator by its endpoint alone. */
function tencentCloud(server, credential = server.credentials, version = '2019-07-22') {
  return new CommonClient('trtc.tencentcloudapi.com', version, {
    credential,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: server.apiEndpoint, protocol: 'http://' } },
  });
}

/** The Tencent Cloud error code a request is refused with (the SDK throws it). */
async function refusal(request) {
  try {
    await request;
  } catch (error) {
    assert.ok(error.requestId, `the refusal carries a RequestId (${error.message})`);
    assert.ok(error.message.length > 0, 'the refusal carries a message');
    return error.code;
  }
  assert.fail('the request was accepted');
}

/**
 * A barrier: someone new joins `roomId` and every member sees them. Anything the server sent those members
 * before has arrived by then (one socket each, in order), so "no event" afterwards means none was sent.
 */
async function everyoneHasHeardFromTheServer(connection, members, roomId) {
  const newcomer = await member(connection, `newcomer${Math.floor(Math.random() * 1e6)}`, roomId);
  await Promise.all(
    members
      .filter((m) => m.roomId === roomId)
      .map((m) => m.events.waitFor('peer-join', (p) => p.userId === newcomer.userId)),
  );
  await newcomer.client.leave();
  await Promise.all(
    members
      .filter((m) => m.roomId === roomId)
      .map((m) => m.events.waitFor('peer-leave', (p) => p.userId === newcomer.userId)),
  );
}

const roomsOf = (server) => server.rooms().map(({ roomId, members }) => ({ roomId, members }));

/** alice, bob and carol in the numeric room 1234 and in the string room "1234" (two different rooms). */
async function twinRooms(t) {
  const server = await emulator(t);
  const connection = page(server);
  const numeric = [];
  const string = [];
  for (const userId of ['alice', 'bob', 'carol']) numeric.push(await member(connection, userId, 1234));
  for (const userId of ['alice', 'bob', 'carol']) string.push(await member(connection, userId, '1234'));
  assert.deepEqual(roomsOf(server), [
    { roomId: 1234, members: ['alice', 'bob', 'carol'] },
    { roomId: '1234', members: ['alice', 'bob', 'carol'] },
  ]);
  return { server, connection, numeric, string };
}

for (const { action, target } of [
  { action: 'RemoveUser', target: 'numeric' },
  { action: 'RemoveUserByStrRoomId', target: 'string' },
]) {
  test(`${action} (official Node SDK) bans exactly the listed members of the ${target} room with reason 'banned'`, async (t) => {
    const rooms = await twinRooms(t);
    const [alice, bob, carol] = rooms[target];
    const other = rooms[target === 'numeric' ? 'string' : 'numeric'];
    const roomId = target === 'numeric' ? 1234 : '1234';

    const response = await tencentCloud(rooms.server).request(action, {
      SdkAppId: APP,
      RoomId: roomId,
      UserIds: ['alice', 'carol'],
    });
    assert.match(response.RequestId, /^[0-9a-f-]{36}$/);

    for (const removed of [alice, carol]) {
      const banned = await removed.events.waitFor('client-banned');
      assert.equal(banned.reason, 'banned');
      assert.ok(banned.message.length > 0);
    }
    await bob.events.waitFor('peer-leave', (p) => p.userId === 'alice');
    await bob.events.waitFor('peer-leave', (p) => p.userId === 'carol');
    await everyoneHasHeardFromTheServer(rooms.connection, [bob, ...other], roomId);
    await everyoneHasHeardFromTheServer(rooms.connection, other, other[0].roomId);
    assert.deepEqual(bob.events.of('client-banned'), [], 'bob, not listed, stays');
    for (const m of other) assert.deepEqual(m.events.of('client-banned'), [], `${m.userId} in the other room stays`);
    for (const removed of [alice, carol]) assert.equal(removed.events.of('client-banned').length, 1);
    assert.deepEqual(
      roomsOf(rooms.server).find((room) => room.roomId === roomId),
      { roomId, members: ['bob'] },
    );
    assert.deepEqual(
      roomsOf(rooms.server).find((room) => room.roomId === other[0].roomId),
      { roomId: other[0].roomId, members: ['alice', 'bob', 'carol'] },
    );
  });
}

for (const { action, target } of [
  { action: 'DismissRoom', target: 'numeric' },
  { action: 'DismissRoomByStrRoomId', target: 'string' },
]) {
  test(`${action} (official Node SDK) removes everyone in the ${target} room with reason 'room-disband', and only them`, async (t) => {
    const rooms = await twinRooms(t);
    const other = rooms[target === 'numeric' ? 'string' : 'numeric'];
    const roomId = target === 'numeric' ? 1234 : '1234';

    const response = await tencentCloud(rooms.server).request(action, { SdkAppId: APP, RoomId: roomId });
    assert.ok(response.RequestId);

    for (const m of rooms[target]) assert.equal((await m.events.waitFor('client-banned')).reason, 'room-disband');
    await everyoneHasHeardFromTheServer(rooms.connection, other, other[0].roomId);
    for (const m of other) assert.deepEqual(m.events.of('client-banned'), [], `${m.userId} in the other room stays`);
    assert.deepEqual(roomsOf(rooms.server), [{ roomId: other[0].roomId, members: ['alice', 'bob', 'carol'] }]);
  });
}

test("a refused API request answers with Tencent's error code and changes nothing", async (t) => {
  const server = await emulator(t);
  const connection = page(server);
  const members = [await member(connection, 'alice', 1234), await member(connection, 'bob', 1234)];
  const before = roomsOf(server);
  const cloud = tencentCloud(server);
  const elevenUsers = Array.from({ length: 11 }, (_, i) => `user${i}`);
  elevenUsers[0] = 'alice';

  // Signed by Tencent's own code, then sent as is or altered: the raw request the emulator sees.
  const signedPost = async ({
    body = { SdkAppId: APP, RoomId: 1234, UserIds: ['nobody'] },
    sendBody = body,
    timestamp = Math.floor(Date.now() / 1000),
    service = 'trtc',
    authorization,
  } = {}) => {
    const url = `${server.url}/`;
    const headers = {
      'Content-Type': 'application/json',
      Host: server.apiEndpoint,
      'X-TC-Action': 'RemoveUser',
      'X-TC-Version': '2019-07-22',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Timestamp': String(timestamp),
    };
    headers.Authorization =
      authorization ??
      Sign.sign3({
        method: 'POST',
        url,
        payload: body,
        timestamp,
        service,
        secretId: server.credentials.secretId,
        secretKey: server.credentials.secretKey,
        headers,
      });
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(sendBody) });
    assert.equal(response.status, 200, 'errors come as HTTP 200 with Response.Error, as Tencent sends them');
    const { Response } = await response.json();
    assert.ok(Response.RequestId);
    return Response.Error?.Code;
  };
  assert.equal(await signedPost(), undefined, 'the raw request, unaltered, is accepted (removing nobody)');

  const cases = {
    'AuthFailure.SignatureFailure (wrong SecretKey)': await refusal(
      tencentCloud(server, { ...server.credentials, secretKey: 'not-the-key' }).request('RemoveUser', {
        SdkAppId: APP,
        RoomId: 1234,
        UserIds: ['alice'],
      }),
    ),
    'AuthFailure.SecretIdNotFound (unknown SecretId)': await refusal(
      tencentCloud(server, { ...server.credentials, secretId: 'AKIDnobody' }).request('DismissRoom', {
        SdkAppId: APP,
        RoomId: 1234,
      }),
    ),
    'AuthFailure.SignatureFailure (body changed after signing)': await signedPost({
      sendBody: { SdkAppId: APP, RoomId: 1234, UserIds: ['bob'] },
    }),
    'AuthFailure.SignatureFailure (signed for another service)': await signedPost({ service: 'cvm' }),
    'AuthFailure.InvalidAuthorization (unsigned)': await signedPost({ authorization: '' }),
    'AuthFailure.SignatureExpire (signed 10 minutes ago)': await signedPost({
      timestamp: Math.floor(Date.now() / 1000) - 600,
    }),
    'InvalidParameter.UserIds (11 user ids)': await refusal(
      cloud.request('RemoveUser', { SdkAppId: APP, RoomId: 1234, UserIds: elevenUsers }),
    ),
    'InvalidParameter.UserIds (no user ids)': await refusal(
      cloud.request('RemoveUser', { SdkAppId: APP, RoomId: 1234, UserIds: [] }),
    ),
    'MissingParameter.UserIds': await refusal(cloud.request('RemoveUser', { SdkAppId: APP, RoomId: 1234 })),
    'FailedOperation.RoomNotExist (unknown room)': await refusal(
      cloud.request('RemoveUser', { SdkAppId: APP, RoomId: 4321, UserIds: ['alice'] }),
    ),
    'FailedOperation.RoomNotExist (the string twin of a numeric room)': await refusal(
      cloud.request('DismissRoomByStrRoomId', { SdkAppId: APP, RoomId: '1234' }),
    ),
    'MissingParameter.RoomId': await refusal(cloud.request('DismissRoom', { SdkAppId: APP })),
    'InvalidParameter.RoomId (a string RoomId for RemoveUser)': await refusal(
      cloud.request('RemoveUser', { SdkAppId: APP, RoomId: '1234', UserIds: ['alice'] }),
    ),
    'InvalidParameter.SdkAppId': await refusal(cloud.request('DismissRoom', { SdkAppId: 'app', RoomId: 1234 })),
    UnknownParameter: await refusal(cloud.request('DismissRoom', { SdkAppId: APP, RoomId: 1234, Everyone: true })),
    InvalidAction: await refusal(cloud.request('DescribeRoomInfo', { SdkAppId: APP })),
    NoSuchVersion: await refusal(
      tencentCloud(server, server.credentials, '2020-01-01').request('DismissRoom', { SdkAppId: APP, RoomId: 1234 }),
    ),
  };
  assert.deepEqual(
    Object.entries(cases).map(([expected, code]) => [expected, code]),
    Object.keys(cases).map((expected) => [expected, expected.split(' ')[0]]),
  );

  await everyoneHasHeardFromTheServer(connection, members, 1234);
  for (const m of members) assert.deepEqual(m.events.of('client-banned'), [], `${m.userId} is still in the room`);
  assert.deepEqual(roomsOf(server), before);
});

test("the same userId joining over the network kicks the earlier client with reason 'kick'; the later one stays", async (t) => {
  const server = await emulator(t);
  const firstTab = page(server);
  const secondTab = page(server);
  const first = await member(firstTab, 'alice', 1234);
  const bob = await member(firstTab, 'bob', 1234);
  const second = await member(secondTab, 'alice', 1234);

  const banned = await first.events.waitFor('client-banned');
  assert.equal(banned.reason, 'kick');
  await everyoneHasHeardFromTheServer(firstTab, [bob, second], 1234);
  assert.deepEqual(second.events.of('client-banned'), []);
  assert.deepEqual(first.events.of('error'), [], 'a removal is not a lost connection');
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['bob', 'alice'] }]);
  await bob.events.waitFor('peer-leave', (p) => p.userId === 'alice');
});

test('over the network too, users already in the room are announced with peer-join before join() resolves', async (t) => {
  const server = await emulator(t);
  const connection = page(server);
  await member(connection, 'bob', 1234);
  await member(connection, 'carol', 1234);
  const alice = connection.sdk.createClient({ sdkAppId: APP, userId: 'alice', userSig: 'sig', mode: 'rtc' });
  const events = record(alice);
  await alice.join({ roomId: 1234 });
  assert.deepEqual(
    events.of('peer-join').map((p) => p.userId),
    ['bob', 'carol'],
    'announced before join() resolved',
  );
});

test('the page-wide join guard is per connectTrtcEmulator() (a page): a second client of the page is refused with 4097, one of another page kicks', async (t) => {
  const server = await emulator(t);
  const here = page(server);
  const first = await member(here, 'alice', 1234);
  const refused = here.sdk.createClient({ sdkAppId: APP, userId: 'alice', userSig: 'sig', mode: 'rtc' });
  await assert.rejects(
    refused.join({ roomId: 1234 }),
    (error) => error.getCode() === 0x1001 && /please avoid repeated join/.test(error.message),
  );
  assert.deepEqual(first.events.of('client-banned'), []);
  await member(page(server), 'alice', 1234);
  assert.equal((await first.events.waitFor('client-banned')).reason, 'kick');
});

test('a dropped connection keeps its member in the room, marked disconnected, until the drop timeout', async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 60_000 });
  const connection = page(server, { reconnectAttempts: 0 });
  const alice = await member(connection, 'alice', 1234);
  const bob = await member(connection, 'bob', 1234);

  connection.sockets[1].terminate(); // bob's network goes away without a goodbye
  const lost = await bob.events.waitFor('error');
  assert.equal(lost.getCode(), 0x4006, 'SIGNAL_CHANNEL_RECONNECTION_FAILED');
  await waitUntil(() => server.rooms()[0]?.disconnected.includes('bob'));
  assert.deepEqual(server.rooms(), [{ sdkAppId: APP, roomId: 1234, members: ['alice', 'bob'], disconnected: ['bob'] }]);
  assert.deepEqual(alice.events.of('peer-leave'), []);
});

test('a dropped connection goes to RECONNECTING and, as trtc-js-sdk, tries again: with the emulator reachable it is CONNECTED again, still in the room', async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 60_000 });
  const connection = page(server, { reconnectAttempts: 1 });
  await member(connection, 'alice', 1234);
  const bob = await member(connection, 'bob', 1234);

  connection.sockets[1].terminate();
  await bob.events.waitFor('connection-state-changed', (p) => p.state === 'RECONNECTING');
  await bob.events.waitFor(
    'connection-state-changed',
    (p) => p.prevState === 'RECONNECTING' && p.state === 'CONNECTED',
  );
  assert.deepEqual(bob.events.of('error'), []);
  assert.equal(bob.client.joined, true);
  assert.deepEqual(
    bob.events.of('peer-join').map((p) => p.userId),
    ['alice'],
    'alice, still there, is not announced again',
  );
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['alice', 'bob'] }]);
});

test('a dropped connection reports error 0x4006 (SIGNAL_CHANNEL_RECONNECTION_FAILED) only after its reconnection attempts fail', async (t) => {
  const server = await emulator(t);
  const alice = await member(page(server, { reconnectAttempts: 1 }), 'alice', 1234);
  await server.close();
  const error = await alice.events.waitFor('error');
  assert.equal(error.getCode(), 0x4006);
  assert.match(error.message, /^signal channel reconnection failed, please check your network\. \nRefer to: /);
  assert.deepEqual(alice.events.of('connection-state-changed').slice(2), [
    { prevState: 'CONNECTED', state: 'DISCONNECTED' },
    { prevState: 'DISCONNECTED', state: 'RECONNECTING' },
    { prevState: 'RECONNECTING', state: 'DISCONNECTED' },
  ]);
  assert.equal(alice.client.joined, false);
});

test("a dropped connection's member is removed after the drop timeout, and its peers see peer-leave", async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 50 });
  const connection = page(server);
  const alice = await member(connection, 'alice', 1234);
  await member(connection, 'bob', 1234);

  // bob's connection is cut and stays cut (his double, as trtc-js-sdk, tries again at once: a plain cut would see
  // him back within the drop timeout).
  server.faults.drop({ userId: 'bob' });
  await alice.events.waitFor('peer-leave', (p) => p.userId === 'bob');
  assert.deepEqual(server.rooms(), [{ sdkAppId: APP, roomId: 1234, members: ['alice'], disconnected: [] }]);
  server.faults.clear();
});

test('a clean leave removes the member at once, not after the drop timeout', async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 60_000 });
  const connection = page(server);
  const alice = await member(connection, 'alice', 1234);
  const bob = await member(connection, 'bob', 1234);

  await bob.client.leave();
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['alice'] }]);
  await alice.events.waitFor('peer-leave', (p) => p.userId === 'bob');
  assert.deepEqual(bob.events.of('error'), []);
});

test('destroy() on a joined client throws 4097 ("please call leave() before destroy()"), as trtc-js-sdk; leave() then destroy() takes it out', async (t) => {
  const server = await emulator(t, { dropTimeoutMs: 60_000 });
  const connection = page(server);
  const alice = await member(connection, 'alice', 1234);
  const bob = await member(connection, 'bob', 1234);

  assert.throws(
    () => bob.client.destroy(),
    (error) => error.getCode() === 0x1001 && error.message.startsWith('please call leave() before destroy().'),
  );
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['alice', 'bob'] }]);
  await bob.client.leave();
  bob.client.destroy();
  await alice.events.waitFor('peer-leave', (p) => p.userId === 'bob');
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['alice'] }]);
  assert.deepEqual(connection.liveClients, [alice.client]);
});

test('GET /rooms shows every room, its members and the disconnected ones as JSON', async (t) => {
  const server = await emulator(t);
  const connection = page(server);
  await member(connection, 'alice', 1234);
  await member(connection, 'bob', 'lobby');
  const response = await fetch(`${server.url}/rooms`);
  assert.equal(
    response.headers.get('access-control-allow-origin'),
    null,
    'no CORS header for a request without an Origin (docs/security.md)',
  );
  assert.deepEqual(await response.json(), [
    { sdkAppId: APP, roomId: 1234, members: ['alice'], disconnected: [] },
    { sdkAppId: APP, roomId: 'lobby', members: ['bob'], disconnected: [] },
  ]);
});

test('a handleRequest hook sees HTTP requests first; what it declines goes to the emulator', async (t) => {
  const server = await emulator(t, {
    handleRequest(request, response) {
      if (request.url !== '/demo') return false;
      response.end('the demo page');
      return true;
    },
  });
  assert.equal(await (await fetch(`${server.url}/demo`)).text(), 'the demo page');
  assert.deepEqual(await (await fetch(`${server.url}/rooms`)).json(), []);
  assert.equal(
    await refusal(tencentCloud(server).request('RemoveUser', { SdkAppId: APP, RoomId: 1, UserIds: ['x'] })),
    'FailedOperation.RoomNotExist',
  );
});

test("with the app's secret key, a join needs a valid userSig: a wrong one fails with JOIN_ROOM_FAILED (0x4004)", async (t) => {
  const server = await emulator(t, { appSecretKey: 'the-app-key' });
  const connection = page(server);
  await member(connection, 'alice', 1234, { userSig: new TlsSigApi(APP, 'the-app-key').genUserSig('alice', 3600) });
  const forged = new TlsSigApi(APP, 'another-key').genUserSig('bob', 3600);
  const refused = await member(connection, 'bob', 1234, { userSig: forged }).then(
    () => assert.fail('the join was accepted'),
    (error) => error,
  );
  assert.equal(refused.getCode(), 0x4004);
  assert.match(refused.message, /secret key/);
  const forAlice = new TlsSigApi(APP, 'the-app-key').genUserSig('alice', 3600);
  const stolen = await member(connection, 'bob', 1234, { userSig: forAlice }).then(
    () => 'accepted',
    (error) => error.getCode(),
  );
  assert.equal(stolen, 0x4004, 'a signature issued for another userId is refused');
  assert.deepEqual(roomsOf(server), [{ roomId: 1234, members: ['alice'] }]);
});

test('a join with no emulator listening fails with SCHEDULE_FAILED (0x404c), naming the command to start', async (t) => {
  const server = await emulator(t);
  const connection = page(server);
  await server.close();
  const error = await member(connection, 'alice', 1234).then(
    () => assert.fail('the join was accepted'),
    (e) => e,
  );
  assert.equal(error.getCode(), 0x404c);
  assert.match(error.message, /trtc-room-emulator/);
});

test('the trtc-room-emulator command, built as published, runs with no node_modules in reach, prints its URL and credentials, serves, and stops on SIGINT', async (t) => {
  const { rollup } = await import('rollup');
  const configs = (await import('../../rollup.config.js')).default;
  const config = configs.find((entry) => entry.input?.['emulator/cli']);
  assert.ok(config, 'rollup.config.js builds src/emulator/node/cli.ts');
  const work = mkdtempSync(join(tmpdir(), 'trtc-room-emulator-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  // Written outside the project, so nothing can be imported from its node_modules: ws must be inside the build.
  // `npm test` has just built dist/ with the same config (scripts/built-dist.mjs): its emulator modules are copied.
  if (hasBuiltDist()) {
    const built = join(import.meta.dirname, '../..', config.output.dir, 'emulator');
    mkdirSync(join(work, 'emulator'));
    for (const entry of readdirSync(built, { withFileTypes: true }))
      if (entry.isFile() && entry.name.endsWith('.js'))
        copyFileSync(join(built, entry.name), join(work, 'emulator', entry.name));
  } else {
    const bundle = await rollup({ ...config, onwarn: () => undefined });
    await bundle.write({ ...config.output, dir: work });
    await bundle.close();
  }

  const cli = spawn(
    process.execPath,
    [
      join(work, 'emulator/cli.js'),
      '--port',
      '0',
      '--secret-id',
      'AKIDlocal',
      '--secret-key',
      'local-key',
      '--drop-timeout',
      '500ms',
    ],
    {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise((resolve) => cli.on('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => cli.exitCode === null && cli.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  cli.stderr.on('data', (chunk) => (stderr += chunk));
  const banner = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${WAIT_MS} ms: ${stdout} ${stderr}`)), WAIT_MS);
    cli.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
  assert.ok(url, banner);
  const port = Number(new URL(url).port);
  assert.match(banner, new RegExp(`ws://127\\.0\\.0\\.1:${port}/trtc`));
  assert.match(banner, /SecretId\s+AKIDlocal/);
  assert.match(banner, /SecretKey\s+local-key/);
  assert.match(banner, /after 500 ms/);

  const server = {
    webSocketUrl: `ws://127.0.0.1:${port}/trtc`,
    apiEndpoint: `127.0.0.1:${port}`,
    credentials: { secretId: 'AKIDlocal', secretKey: 'local-key' },
  };
  const alice = await member(page(server), 'alice', 99);
  assert.deepEqual(await (await fetch(`${url}/rooms`)).json(), [
    { sdkAppId: APP, roomId: 99, members: ['alice'], disconnected: [] },
  ]);
  await tencentCloud(server).request('DismissRoom', { SdkAppId: APP, RoomId: 99 });
  assert.equal((await alice.events.waitFor('client-banned')).reason, 'room-disband');

  cli.kill('SIGINT');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.match(stdout, /stopped/);
  assert.equal(stderr, '');
});

test('the trtc-room-emulator command refuses a bad option with its usage', async () => {
  const { bundleTs } = await import('../../scripts/load-ts.mjs');
  const file = await bundleTs('src/emulator/node/cli.ts');
  try {
    const result = await new Promise((resolve) => {
      const cli = spawn(process.execPath, [file, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      cli.stderr.on('data', (chunk) => (stderr += chunk));
      cli.on('exit', (code) => resolve({ code, stderr }));
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port "eighty" is not a port number/);
    assert.match(result.stderr, /Usage: trtc-room-emulator/);
  } finally {
    rmSync(file, { force: true });
  }
});

async function waitUntil(condition) {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
