// The networked emulator going away under a joined <trtc-room> in Chromium: the element reports it through
// `connection-state-change`, ends in a clear state with no unhandled rejection or uncaught error, and a
// join() once the emulator is back recovers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { launchChromium, openModulePage } from '../../scripts/chromium.mjs';
import { bundlePageScript, loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');

// One <trtc-room> on the networked emulator; what it reports, and any unhandled rejection or uncaught error.
const pageScript = `
import '${root}/src/index.ts';
import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
window.reports = [];
window.problems = [];
addEventListener('unhandledrejection', (event) => problems.push('unhandled rejection: ' + (event.reason?.stack ?? event.reason)));
addEventListener('error', (event) => problems.push('uncaught error: ' + (event.error?.stack ?? event.message)));
window.enterRoom = (url) => {
  const el = document.createElement('trtc-room');
  // One reconnection attempt (trtc-js-sdk makes 30, over about 5½ minutes).
  el.sdk = connectTrtcEmulator(url, { reconnectAttempts: 1 }).sdk;
  Object.assign(el, { sdkAppId: 1400000001, roomId: 1234, userId: 'alice', userSig: 'sig' });
  for (const type of ['joined', 'left', 'banned', 'error', 'connection-state-change', 'state-change']) {
    el.addEventListener(type, ({ detail }) => reports.push({ type, ...detail, cause: undefined, message: undefined }));
  }
  document.body.append(el);
  window.room = el;
};
window.joinAgain = () => room.join().then(() => room.state, (error) => 'rejected: ' + error.message);
`;

test('stopping the emulator mid-session: RECONNECTING, then after the reconnection attempts connection-lost (0x4006), left, state error, no unhandled rejection; join() after a restart recovers', async (t) => {
  let server = await startEmulatorServer({ port: 0, host: '127.0.0.1' });
  const { port } = server;
  t.after(() => server.close());
  const bundle = await bundlePageScript(pageScript);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const pageErrors = [];
  const page = await openModulePage(browser, bundle, pageErrors, { origin: server.url });
  await page.waitForFunction(() => typeof window.enterRoom === 'function');
  const reports = () => page.evaluate(() => window.reports.splice(0));
  const waitFor = (predicate) => page.waitForFunction(predicate, undefined, { timeout: 10_000 });

  await page.evaluate((url) => window.enterRoom(url), server.webSocketUrl);
  await waitFor(() => window.room.state === 'joined');
  await reports();
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [['alice']],
  );

  // The server goes away mid-session.
  await server.close();
  await waitFor(() => window.room.state === 'error');
  await page.evaluate(() => new Promise((done) => setTimeout(done, 100)));
  const outage = await reports();
  const events = outage.filter((report) => report.type !== 'state-change');
  assert.deepEqual(events, [
    {
      type: 'connection-state-change',
      state: 'DISCONNECTED',
      prevState: 'CONNECTED',
      cause: undefined,
      message: undefined,
    },
    {
      type: 'connection-state-change',
      state: 'RECONNECTING',
      prevState: 'DISCONNECTED',
      cause: undefined,
      message: undefined,
    },
    {
      type: 'connection-state-change',
      state: 'DISCONNECTED',
      prevState: 'RECONNECTING',
      cause: undefined,
      message: undefined,
    },
    { type: 'error', code: 'connection-lost', sdkCode: 0x4006, cause: undefined, message: undefined },
    { type: 'left', roomId: 1234, userId: 'alice', cause: undefined, message: undefined },
  ]);
  assert.deepEqual(
    outage.filter((report) => report.type === 'state-change').map((report) => report.state),
    ['leaving', 'error'],
  );
  assert.equal(await page.evaluate(() => window.room.getAttribute('state')), 'error');
  assert.deepEqual(await page.evaluate(() => window.problems), []);
  assert.deepEqual(pageErrors, []);

  // No retry loop: it stays out until asked.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 200)));
  assert.equal(await page.evaluate(() => window.room.state), 'error');

  // The emulator comes back on the same port; join() recovers.
  server = await startEmulatorServer({ port, host: '127.0.0.1' });
  assert.equal(await page.evaluate(() => window.joinAgain()), 'joined');
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [['alice']],
  );
  const recovery = (await reports()).filter((report) => report.type === 'joined' || report.type === 'error');
  assert.deepEqual(recovery, [{ type: 'joined', roomId: 1234, userId: 'alice', cause: undefined, message: undefined }]);
  assert.deepEqual(await page.evaluate(() => window.problems), []);
  assert.deepEqual(pageErrors, []);
});
