// Runs a scenario table of test/support/conformance.ts in Chromium, column by column, and compares: each
// column must give the events the table states, and all columns the same record, state and connection changes
// included. The pages are served from the networked emulator's own origin (it refuses other origins) by
// real-sdk-page.mjs; a second tab holds the other users of the columns that put real SDK clients in the room.
// A column is { name, proxy?, media?, faults?, enter, exit, removeUser, dismissRoom, drop, refuseJoins, restart,
// clearFaults, members, cleanUp } driven from Node, or the in-page double ('double'); this file makes the
// emulator's column for either SDK. The media rows run only in the columns that carry media (not `media: false`),
// the fault rows only in those that inject faults (not `faults: false`): the emulator's and the double.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { bundlePageScript } from '../../../scripts/load-ts.mjs';
import { startRealSdkRig } from './real-sdk-page.mjs';

const root = resolve(import.meta.dirname, '../../..');
export const SDK_APP_ID = 1400000001;

const pageScript = `
import TRTCv4 from 'trtc-js-sdk/trtc.esm.js';
import TRTCv5 from 'trtc-sdk-v5';
import { scenarioNames, expectedFor, roomFor, runScenario, carriesMedia, injectsFaults } from '${root}/test/support/conformance.ts';
import { createTrtcEmulator } from '${root}/src/testing/index.ts';

TRTCv4.Logger.setLogLevel(TRTCv4.Logger.LogLevel.NONE);
TRTCv5.setLogLevel(5);
const REAL = { v4: TRTCv4, v5: TRTCv5 };
Object.assign(window, { scenarioNames, expectedFor, roomFor, carriesMedia, injectsFaults });

const roomRef = (roomId) => ({ sdkAppId: ${SDK_APP_ID}, ...(typeof roomId === 'string' ? { strRoomId: roomId } : { roomId }) });
const USER_SIG = 'stand-in-sig';

/** Another user's client on \`sdks\` (a real SDK namespace or an emulator page's): enter() and exit(). */
function otherUser(sdk, sdks, roomId, userId, proxy) {
  if (sdk === 'v4') {
    const client = sdks.v4.createClient({ sdkAppId: ${SDK_APP_ID}, userId, userSig: USER_SIG, mode: 'rtc', ...(typeof roomId === 'string' ? { useStringRoomId: true } : {}) });
    if (proxy) client.setProxyServer(proxy);
    return { enter: () => client.join({ roomId }), exit: () => client.leave() };
  }
  const trtc = sdks.v5.create();
  return {
    // The emulator serves trtc-sdk-v5's single peer connection: the SDK stays on it, with no move after its join.
    enter: () => trtc.enterRoom({ ...roomRef(roomId), userId, userSig: USER_SIG, ...(proxy ? { proxy } : {}) }),
    exit: () => trtc.exitRoom(),
  };
}

/** A world whose other users and app server are moved from Node (window.moveWorld, exposed by the test). */
const movedFromNode = (sdk, name, proxy, movesAfterJoin) => ({
  name,
  sdk: REAL[sdk],
  proxy,
  movesAfterJoin,
  enter: (roomId, userId) => window.moveWorld(name, 'enter', roomId, userId),
  exit: (roomId, userId) => window.moveWorld(name, 'exit', roomId, userId),
  removeUser: (roomId, userId) => window.moveWorld(name, 'removeUser', roomId, userId),
  dismissRoom: (roomId) => window.moveWorld(name, 'dismissRoom', roomId),
  drop: (userId, durationMs) => window.moveWorld(name, 'drop', userId, durationMs),
  refuseJoins: (userId) => window.moveWorld(name, 'refuseJoins', userId),
  restart: (options) => window.moveWorld(name, 'restart', options),
  clearFaults: () => window.moveWorld(name, 'clearFaults'),
});

/** The double: the other users are clients of another page of the same in-memory emulator. */
const double = (sdk) => {
  const emulator = createTrtcEmulator();
  const elsewhere = emulator.newPage();
  const others = new Map();
  return {
    name: sdk + ' double',
    sdk: sdk === 'v4' ? emulator.sdk : emulator.sdkV5,
    async enter(roomId, userId) {
      const other = otherUser(sdk, { v4: elsewhere.sdk, v5: elsewhere.sdkV5 }, roomId, userId);
      others.set(roomId + '/' + userId, other);
      await other.enter();
    },
    exit: (roomId, userId) => others.get(roomId + '/' + userId).exit(),
    removeUser: (roomId, userId) => emulator.admin.removeUsers({ ...roomRef(roomId), userIds: [userId] }),
    dismissRoom: (roomId) => emulator.admin.dismissRoom(roomRef(roomId)),
    // The in-memory emulator's faults (admin.faults), as the networked one's in the other columns.
    drop: async (userId, durationMs) => void emulator.admin.faults.drop({ userId, durationMs }),
    refuseJoins: async (userId) => void emulator.admin.faults.refuseJoins({ userId }),
    restart: (options) => emulator.admin.faults.restart(options),
    clearFaults: async () => emulator.admin.faults.clear(),
  };
};

window.run = (sdk, name, column, n, proxy, movesAfterJoin) =>
  runScenario(sdk, name, column === 'double' ? double(sdk) : movedFromNode(sdk, column, proxy, movesAfterJoin), n);

// In the other tab: other users, each a real SDK client of its own on the emulator.
const others = new Map();
window.other = {
  async enter(sdk, roomId, userId) {
    const proxy = (await (await fetch('/proxy')).json())[sdk];
    const other = otherUser(sdk, REAL, roomId, userId, proxy);
    others.set(roomId + '/' + userId, other);
    await other.enter();
  },
  async exit(roomId, userId) {
    const other = others.get(roomId + '/' + userId);
    others.delete(roomId + '/' + userId);
    await other.exit();
  },
  /** Every client still here leaves (a banned one too: the SDKs' leave()/exitRoom() resolve then). */
  async leaveAll() {
    for (const other of others.values()) await other.exit().catch(() => {});
    others.clear();
  },
};
`;

/**
 * Starts the emulator and Chromium (`t.after` stops them) with the conformance page in two tabs.
 * Returns { rig, emulatorColumn(sdk), run(sdk, columns) }.
 */
export async function startConformanceRig(t, { extraArgs = [] } = {}) {
  const bundle = await bundlePageScript(pageScript, { bundleSdks: true });
  const rig = await startRealSdkRig(t, { extraArgs, pages: { '/conformance': bundle } });
  const page = await rig.open('elements', { path: '/conformance', ready: 'run' });
  const elsewhere = await rig.open('other users', { path: '/conformance', ready: 'other' });
  const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
    credential: rig.server.credentials,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: rig.server.apiEndpoint, protocol: 'http://' } },
  });
  const byRoom = (action, roomId) => (typeof roomId === 'string' ? `${action}ByStrRoomId` : action);

  /** The column of the real `sdk` against the networked emulator: other users real clients in the other tab; the Cloud API by Tencent's Node SDK. */
  const emulatorColumn = (sdk) => ({
    name: `${sdk === 'v4' ? 'trtc-js-sdk' : 'trtc-sdk-v5'} over the emulator`,
    proxy: rig.server.proxy[sdk],
    enter: (roomId, userId) =>
      elsewhere.evaluate(([sdk, roomId, userId]) => window.other.enter(sdk, roomId, userId), [sdk, roomId, userId]),
    exit: (roomId, userId) =>
      elsewhere.evaluate(([roomId, userId]) => window.other.exit(roomId, userId), [roomId, userId]),
    removeUser: (roomId, userId) =>
      admin.request(byRoom('RemoveUser', roomId), { SdkAppId: SDK_APP_ID, RoomId: roomId, UserIds: [userId] }),
    dismissRoom: (roomId) => admin.request(byRoom('DismissRoom', roomId), { SdkAppId: SDK_APP_ID, RoomId: roomId }),
    // The emulator's fault API in Node (server.faults: the same as POST /faults and /restart). A drop names the
    // user only: trtc-sdk-v5's reconnection socket names no room (only trtc-js-sdk's does, with rc=1).
    drop: (userId, durationMs) => void rig.server.faults.drop({ userId, durationMs }),
    refuseJoins: (userId) => void rig.server.faults.refuseJoins({ userId }),
    restart: (options) => rig.server.faults.restart(options),
    clearFaults: () => rig.server.faults.clear(),
    members: (roomId) => rig.server.rooms().find((room) => room.roomId === roomId)?.members ?? [],
    cleanUp: async () => {
      rig.server.faults.clear();
      await elsewhere.evaluate(() => window.other.leaveAll());
    },
  });

  let columns = {};
  await page.exposeFunction('moveWorld', async (column, action, ...args) => {
    await columns[column][action](...args);
  });

  let nextRoom = 1000;
  /**
   * Runs the `sdk` table: each scenario a subtest, in every Node-driven column of `nodeColumns`, then on the
   * double. With `connectionChanges: false` the columns are compared without their connection changes.
   */
  async function run(sdk, nodeColumns, { connectionChanges = true } = {}) {
    columns = Object.fromEntries(nodeColumns.map((column) => [column.name, column]));
    const names = await page.evaluate((sdk) => window.scenarioNames(sdk), sdk);
    for (const name of names) {
      await t.test(name, async () => {
        const media = await page.evaluate(([sdk, name]) => window.carriesMedia(sdk, name), [sdk, name]);
        const faults = await page.evaluate(([sdk, name]) => window.injectsFaults(sdk, name), [sdk, name]);
        const n = ++nextRoom;
        const room = await page.evaluate(([sdk, name, n]) => window.roomFor(sdk, name, n), [sdk, name, n]);
        const expected = await page.evaluate(([sdk, name, n]) => window.expectedFor(sdk, name, n), [sdk, name, n]);
        const stated = (log) => log.filter((line) => !/: (state|connection) /.test(line));
        const records = {};
        for (const column of nodeColumns) {
          if ((media && column.media === false) || (faults && column.faults === false)) continue;
          try {
            records[column.name] = await page.evaluate(
              ([sdk, name, column, n, proxy, moves]) => window.run(sdk, name, column, n, proxy, moves),
              [sdk, name, column.name, n, column.proxy, column.movesAfterJoin ?? false],
            );
          } finally {
            await column.cleanUp();
          }
          assert.deepEqual(
            column.members(room).filter((userId) => userId === 'alice'),
            [],
            `${column.name}: the real SDK left (the emulator's last lines: ${rig.lines.slice(-6).join(' / ')})`,
          );
        }
        records[`${sdk} double`] = await page.evaluate(
          ([sdk, name, n]) => window.run(sdk, name, 'double', n),
          [sdk, name, n],
        );
        for (const [column, record] of Object.entries(records))
          assert.deepEqual(stated(record), expected, `${column}: the events the table states`);
        const compared = (log) => (connectionChanges ? log : log.filter((line) => !/: connection /.test(line)));
        const [first, ...others] = Object.entries(records);
        const what = connectionChanges ? 'state and connection changes included' : 'state changes included';
        for (const [column, record] of others)
          assert.deepEqual(compared(record), compared(first[1]), `${column} and ${first[0]}: the same record, ${what}`);
      });
    }
  }
  return { rig, emulatorColumn, run };
}
