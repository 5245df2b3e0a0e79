// Conformance of the v4 double to the real trtc-js-sdk: the v4 scenario table (test/support/conformance.ts) run
// in Chromium in three columns (test/node/support/conformance-rig.mjs):
//   (a) <trtc-room> on the unmodified trtc-js-sdk 4.15.22, its `el.proxy` pointing at a stand-in signalling
//       server (test/support/v4-signalling-stand-in.mjs), other users being stand-ins moved by the test;
//   (b) <trtc-room> on the v4 double of `trtc-room/testing`, other users on another page of the same emulator;
//   (c) <trtc-room> on the networked emulator with the same unmodified SDK, `el.proxy` from its GET /proxy,
//       other users being real trtc-js-sdk clients in another tab, RemoveUser/DismissRoom sent by Tencent's
//       Node SDK to the emulator's Cloud API.
// Each scenario must give the events the table states, and all three the very same record, state and
// connection changes included. Nothing leaves the machine: other host names do not resolve and other
// requests are aborted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startV4SignallingStandIn } from '../support/v4-signalling-stand-in.mjs';
import { SDK_APP_ID, startConformanceRig } from './support/conformance-rig.mjs';

test('<trtc-room> on the real trtc-js-sdk (over a stand-in, and over the networked emulator) and on the v4 double: the same events, scenario by scenario', async (t) => {
  const standIn = await startV4SignallingStandIn();
  t.after(() => standIn.close());
  // The stand-in serves TLS with a certificate made at its start.
  const { rig, emulatorColumn, run } = await startConformanceRig(t, { extraArgs: ['--ignore-certificate-errors'] });
  const room = (roomId) => ({ sdkAppId: SDK_APP_ID, roomId });
  const overStandIn = {
    name: 'trtc-js-sdk over the stand-in',
    proxy: standIn.url,
    enter: (roomId, userId) => standIn.enter(room(roomId), userId),
    exit: (roomId, userId) => standIn.exit(room(roomId), userId),
    removeUser: (roomId, userId) => standIn.removeUser(room(roomId), userId),
    dismissRoom: (roomId) => standIn.dismissRoom(room(roomId)),
    members: (roomId) => standIn.members(room(roomId)),
    cleanUp: async () => {},
    // The stand-in speaks signalling only: the media rows run in the networked emulator's column (same SDK, same
    // tab, its media server) and on the double.
    media: false,
    // Nor can it drop or restart: the fault rows run in the networked emulator's column and on the double.
    faults: false,
  };
  await run('v4', [overStandIn, emulatorColumn('v4')]);
  assert.deepEqual(rig.problems, []);
  // Over the stand-in the SDK was given only a WebSocket address, so its telemetry still goes to Tencent: aborted.
  assert.deepEqual(
    rig.aborted.filter((url) => !new URL(url).hostname.endsWith('.qq.com')),
    [],
    "nothing but the SDK's telemetry tried to leave",
  );
  assert.ok(standIn.received.includes('leave'), 'the real SDK said leave to the stand-in');
});
