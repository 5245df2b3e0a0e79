// Conformance of the v5 double to the real trtc-sdk-v5: the v5 scenario table (test/support/conformance.ts) run
// in Chromium in two columns (test/node/support/conformance-rig.mjs):
//   (a) <trtc-room> on the unmodified trtc-sdk-v5 5.17.1 against the networked emulator, `el.proxy` from its
//       GET /proxy (enterRoom({ proxy })), other users being real trtc-sdk-v5 clients in another tab,
//       RemoveUser/DismissRoom sent by Tencent's Node SDK to the emulator's Cloud API;
//   (b) <trtc-room> on the v5 double of `trtc-room/testing` (`createTrtcEmulator().sdkV5`), other users on
//       another page of the same emulator.
// The v5 table differs from v4's where the SDKs do: KICKED_OUT's reasons and words, and two elements with one
// userId in one page (rtc mode: no page guard, the server kicks the first). No stand-in column: the stand-in
// speaks trtc-js-sdk's signalling only. Nothing leaves the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startConformanceRig } from './support/conformance-rig.mjs';

test('<trtc-room> on the real trtc-sdk-v5 (over the networked emulator) and on the v5 double: the same events, scenario by scenario', async (t) => {
  const { rig, emulatorColumn, run } = await startConformanceRig(t);
  // The emulator serves the real SDK's single peer connection, so it no longer moves to separate ones after its
  // join (a signalling reconnection the double does not do): connection changes are compared too.
  await run('v5', [emulatorColumn('v5')]);
  assert.deepEqual(rig.problems, []);
  assert.deepEqual(rig.aborted, [], 'no request to another host');
});
