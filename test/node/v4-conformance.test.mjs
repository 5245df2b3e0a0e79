// Conformance of the v4 double to the real trtc-js-sdk: one scenario table (test/support/v4-conformance.ts) run
// in Chromium in three columns:
//   (a) <trtc-room> on the unmodified trtc-js-sdk 4.15.22, its `el.proxy` pointing at a stand-in signalling
//       server (test/support/v4-signalling-stand-in.mjs), other users being stand-ins moved by the test;
//   (b) <trtc-room> on the v4 double of `trtc-room/testing`, other users on another page of the same emulator;
//   (c) <trtc-room> on the unmodified trtc-js-sdk against the networked emulator, `el.proxy` from its GET /proxy,
//       other users being real trtc-js-sdk clients in another tab, RemoveUser/DismissRoom sent by Tencent's
//       Node SDK to the emulator's Cloud API.
// Each scenario must give the events the table states, and all three the very same record, state and
// connection changes included. The pages are served from the emulator's own origin (it refuses others).
// Nothing leaves the machine: other host names do not resolve and other requests are aborted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { bundlePageScript } from '../../scripts/load-ts.mjs';
import { startV4SignallingStandIn } from '../support/v4-signalling-stand-in.mjs';
import { startRealSdkRig } from './support/real-sdk-page.mjs';

const root = resolve(import.meta.dirname, '../..');
const SDK_APP_ID = 1400000001;

const pageScript = `
import TRTC from 'trtc-js-sdk/trtc.esm.js';
import { SCENARIOS, expectedFor, roomFor, runScenario } from '${root}/test/support/v4-conformance.ts';
import { createTrtcEmulator } from '${root}/src/testing/index.ts';

TRTC.Logger.setLogLevel(TRTC.Logger.LogLevel.NONE);
window.scenarioNames = SCENARIOS.map((scenario) => scenario.name);
window.expectedLines = expectedFor;
window.roomFor = roomFor;

/** A world whose other users and app server are moved from Node (window.moveWorld, exposed by the test). */
const movedFromNode = (name, proxy) => ({
  name,
  sdk: TRTC,
  proxy,
  enter: (roomId, userId) => window.moveWorld(name, 'enter', roomId, userId),
  exit: (roomId, userId) => window.moveWorld(name, 'exit', roomId, userId),
  removeUser: (roomId, userId) => window.moveWorld(name, 'removeUser', roomId, userId),
  dismissRoom: (roomId) => window.moveWorld(name, 'dismissRoom', roomId),
});

const clientConfig = (roomId, userId) => ({ sdkAppId: ${SDK_APP_ID}, userId, userSig: 'stand-in-sig', mode: 'rtc', ...(typeof roomId === 'string' ? { useStringRoomId: true } : {}) });
const roomRef = (roomId) => ({ sdkAppId: ${SDK_APP_ID}, ...(typeof roomId === 'string' ? { strRoomId: roomId } : { roomId }) });

// (b) The double: the other users are clients of another page of the same emulator.
const double = () => {
  const emulator = createTrtcEmulator();
  const elsewhere = emulator.newPage();
  const others = new Map();
  return {
    name: 'v4 double',
    sdk: emulator.sdk,
    async enter(roomId, userId) {
      const client = elsewhere.sdk.createClient(clientConfig(roomId, userId));
      others.set(roomId + '/' + userId, client);
      await client.join({ roomId });
    },
    exit: (roomId, userId) => others.get(roomId + '/' + userId).leave(),
    removeUser: (roomId, userId) => emulator.admin.removeUsers({ ...roomRef(roomId), userIds: [userId] }),
    dismissRoom: (roomId) => emulator.admin.dismissRoom(roomRef(roomId)),
  };
};

window.run = (name, column, roomId, proxy) =>
  runScenario(name, column === 'double' ? double() : movedFromNode(column, proxy), roomId);

// In the other tab of column (c): other users, each a real trtc-js-sdk client of its own on the emulator.
const others = new Map();
window.other = {
  async enter(roomId, userId) {
    const client = TRTC.createClient(clientConfig(roomId, userId));
    client.setProxyServer((await (await fetch('/proxy')).json()).v4);
    others.set(roomId + '/' + userId, client);
    await client.join({ roomId });
  },
  async exit(roomId, userId) {
    const client = others.get(roomId + '/' + userId);
    others.delete(roomId + '/' + userId);
    await client.leave();
  },
  /** Every client still here leaves (a banned one too: the SDK's leave() resolves then). */
  async leaveAll() {
    for (const client of others.values()) await client.leave().catch(() => {});
    others.clear();
  },
};
`;

test('<trtc-room> on the real trtc-js-sdk (over a stand-in, and over the networked emulator) and on the v4 double: the same events, scenario by scenario', async (t) => {
  const standIn = await startV4SignallingStandIn();
  t.after(() => standIn.close());
  const bundle = await bundlePageScript(pageScript, { bundleSdks: true });
  // The stand-in serves TLS with a certificate made at its start.
  const rig = await startRealSdkRig(t, { extraArgs: ['--ignore-certificate-errors'], pages: { '/v4-conformance': bundle } });
  const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
    credential: rig.server.credentials,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: rig.server.apiEndpoint, protocol: 'http://' } },
  });
  const page = await rig.open('elements', { path: '/v4-conformance', ready: 'scenarioNames' });
  const elsewhere = await rig.open('other users', { path: '/v4-conformance', ready: 'other' });

  const byRoom = (action, roomId) => (typeof roomId === 'string' ? `${action}ByStrRoomId` : action);
  // How each column moves its other users and its app server.
  const movers = {
    'trtc-js-sdk over the stand-in': {
      proxy: standIn.url,
      enter: (roomId, userId) => standIn.enter({ sdkAppId: SDK_APP_ID, roomId }, userId),
      exit: (roomId, userId) => standIn.exit({ sdkAppId: SDK_APP_ID, roomId }, userId),
      removeUser: (roomId, userId) => standIn.removeUser({ sdkAppId: SDK_APP_ID, roomId }, userId),
      dismissRoom: (roomId) => standIn.dismissRoom({ sdkAppId: SDK_APP_ID, roomId }),
      members: (roomId) => standIn.members({ sdkAppId: SDK_APP_ID, roomId }),
      cleanUp: async () => {},
    },
    'trtc-js-sdk over the emulator': {
      proxy: rig.server.proxy.v4,
      enter: (roomId, userId) => elsewhere.evaluate(([roomId, userId]) => window.other.enter(roomId, userId), [roomId, userId]),
      exit: (roomId, userId) => elsewhere.evaluate(([roomId, userId]) => window.other.exit(roomId, userId), [roomId, userId]),
      removeUser: (roomId, userId) => admin.request(byRoom('RemoveUser', roomId), { SdkAppId: SDK_APP_ID, RoomId: roomId, UserIds: [userId] }),
      dismissRoom: (roomId) => admin.request(byRoom('DismissRoom', roomId), { SdkAppId: SDK_APP_ID, RoomId: roomId }),
      members: (roomId) => rig.server.rooms().find((room) => room.roomId === roomId)?.members ?? [],
      cleanUp: () => elsewhere.evaluate(() => window.other.leaveAll()),
    },
  };
  await page.exposeFunction('moveWorld', async (column, action, roomId, userId) => {
    await movers[column][action](roomId, userId);
  });
  const names = await page.evaluate(() => window.scenarioNames);

  let roomId = 1000;
  for (const name of names) {
    await t.test(name, async () => {
      const n = ++roomId;
      const room = await page.evaluate(([name, n]) => window.roomFor(name, n), [name, n]);
      const expected = await page.evaluate(([name, n]) => window.expectedLines(name, n), [name, n]);
      const stated = (log) => log.filter((line) => !/: (state|connection) /.test(line));
      const records = {};
      for (const [column, mover] of Object.entries(movers)) {
        try {
          records[column] = await page.evaluate(([name, column, n, proxy]) => window.run(name, column, n, proxy), [name, column, n, mover.proxy]);
        } finally {
          await mover.cleanUp();
        }
        assert.deepEqual(mover.members(room).filter((userId) => userId === 'alice'), [], `${column}: the real SDK left`);
      }
      records['v4 double'] = await page.evaluate(([name, n]) => window.run(name, 'double', n), [name, n]);
      for (const [column, record] of Object.entries(records)) assert.deepEqual(stated(record), expected, `${column}: the events the table states`);
      const [first, ...others] = Object.entries(records);
      for (const [column, record] of others) assert.deepEqual(record, first[1], `${column} and ${first[0]}: the same record, state and connection changes included`);
    });
  }
  assert.deepEqual(rig.problems, []);
  // Over the stand-in the SDK was given only a WebSocket address, so its telemetry still goes to Tencent: aborted.
  assert.deepEqual(rig.aborted.filter((url) => !new URL(url).hostname.endsWith('.qq.com')), [], 'nothing but the SDK\'s telemetry tried to leave');
  assert.ok(standIn.received.includes('leave'), 'the real SDK said leave to the stand-in');
});
