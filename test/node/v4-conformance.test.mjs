// Conformance of the v4 double to the real trtc-js-sdk: one scenario table (test/support/v4-conformance.ts) run
// in Chromium against (a) <trtc-room> on the unmodified trtc-js-sdk 4.15.22, pointed with its documented
// `client.setProxyServer()` at a stand-in signalling server (test/support/v4-signalling-stand-in.mjs), and
// (b) <trtc-room> on the v4 double of `trtc-room/testing`. Each scenario must give the events the table states,
// and both worlds the very same record, state and connection changes included. Nothing leaves the machine:
// the page's requests to anything but this machine (the SDK's telemetry to Tencent hosts) are aborted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { bundlePageScript } from '../../scripts/load-ts.mjs';
import { startV4SignallingStandIn } from '../support/v4-signalling-stand-in.mjs';

const root = resolve(import.meta.dirname, '../..');

const pageScript = `
import TRTC from 'trtc-js-sdk/trtc.esm.js';
import { SCENARIOS, runScenario, stated } from '${root}/test/support/v4-conformance.ts';
import { createTrtcEmulator } from '${root}/src/testing/index.ts';

TRTC.Logger.setLogLevel(TRTC.Logger.LogLevel.NONE);
window.scenarioNames = SCENARIOS.map((scenario) => scenario.name);
window.expectedLines = (name, roomId) => SCENARIOS.find((scenario) => scenario.name === name).expected(roomId);
window.stated = stated;

// (a) The real SDK. The element has no proxy input yet (issue 15): the namespace it is given points every
// client it creates at the stand-in.
const real = (proxyUrl) => ({
  name: 'trtc-js-sdk',
  sdk: { createClient: (config) => { const client = TRTC.createClient(config); client.setProxyServer(proxyUrl); return client; } },
  enter: (roomId, userId) => window.standIn('enter', roomId, userId),
  exit: (roomId, userId) => window.standIn('exit', roomId, userId),
  removeUser: (roomId, userId) => window.standIn('removeUser', roomId, userId),
  dismissRoom: (roomId) => window.standIn('dismissRoom', roomId),
});

// (b) The double: the other users are clients of another page of the same emulator.
const double = () => {
  const emulator = createTrtcEmulator();
  const elsewhere = emulator.newPage();
  const others = new Map();
  return {
    name: 'v4 double',
    sdk: emulator.sdk,
    async enter(roomId, userId) {
      const client = elsewhere.sdk.createClient({ sdkAppId: 1400000001, userId, userSig: 'stand-in-sig', mode: 'rtc' });
      others.set(roomId + '/' + userId, client);
      await client.join({ roomId });
    },
    exit: (roomId, userId) => others.get(roomId + '/' + userId).leave(),
    removeUser: (roomId, userId) => emulator.admin.removeUsers({ sdkAppId: 1400000001, roomId, userIds: [userId] }),
    dismissRoom: (roomId) => emulator.admin.dismissRoom({ sdkAppId: 1400000001, roomId }),
  };
};

window.run = (name, worldName, roomId, proxyUrl) => runScenario(name, worldName === 'real' ? real(proxyUrl) : double(), roomId);
`;

test('<trtc-room> on the real trtc-js-sdk (over a stand-in signalling server) and on the v4 double: the same events, scenario by scenario', async (t) => {
  const standIn = await startV4SignallingStandIn();
  t.after(() => standIn.close());
  const bundle = await bundlePageScript(pageScript, { bundleSdks: true });
  const browser = await launchChromium(['--ignore-certificate-errors']);
  t.after(() => browser.close());
  const context = await browser.newContext();
  const aborted = [];
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    aborted.push(hostname);
    return route.abort();
  });
  const problems = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(standIn.pageUrl);
  await page.addScriptTag({ content: bundle, type: 'module' });
  await page.exposeFunction('standIn', (action, roomId, userId) => {
    const room = { sdkAppId: 1400000001, roomId };
    standIn[action](room, userId);
  });
  await page.waitForFunction(() => Array.isArray(window.scenarioNames));
  const names = await page.evaluate(() => window.scenarioNames);

  let roomId = 1000;
  for (const name of names) {
    await t.test(name, async () => {
      const realRoom = ++roomId;
      const real = await page.evaluate(([name, roomId, url]) => window.run(name, 'real', roomId, url), [name, realRoom, standIn.url]);
      const doubleRecord = await page.evaluate(([name, roomId]) => window.run(name, 'double', roomId), [name, realRoom]);
      const expected = await page.evaluate(([name, roomId]) => window.expectedLines(name, roomId), [name, realRoom]);
      const stated = (log) => log.filter((line) => !/: (state|connection) /.test(line));
      assert.deepEqual(stated(real), expected, 'the real SDK gives the events the table states');
      assert.deepEqual(stated(doubleRecord), expected, 'the double gives the events the table states');
      assert.deepEqual(doubleRecord, real, 'the double and the real SDK give the same record, state and connection changes included');
      assert.deepEqual(standIn.members({ sdkAppId: 1400000001, roomId: realRoom }).filter((userId) => userId === 'alice'), [], 'the real SDK left the stand-in');
    });
  }
  assert.deepEqual(problems, []);
  assert.ok(standIn.received.includes('leave'), 'the real SDK said leave to the stand-in');
});
