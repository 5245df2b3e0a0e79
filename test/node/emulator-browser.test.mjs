// The networked emulator end to end: `<trtc-room>` elements in two Chromium pages (two tabs), joined through
// `connectTrtcEmulator` over the browser's own WebSocket, and an app server using Tencent's official Node SDK.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { launchChromium, openModulePage } from '../../scripts/chromium.mjs';
import { bundlePageScript, loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');

// A page that puts one <trtc-room> on the networked emulator and keeps what it reports in window.reports.
const pageScript = `
import '${root}/src/index.ts';
import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
window.reports = [];
window.enterRoom = (url, userId, roomId) => {
  const el = document.createElement('trtc-room');
  el.sdk = connectTrtcEmulator(url).sdk;
  el.sdkAppId = 1400000001;
  el.roomId = roomId;
  el.userId = userId;
  el.userSig = 'sig';
  for (const type of ['joined', 'banned', 'left', 'error']) {
    el.addEventListener(type, (event) => window.reports.push({ type, reason: event.detail.reason, code: event.detail.code, state: el.state }));
  }
  document.body.append(el);
};
`;

test('<trtc-room> in two tabs over the networked emulator: a duplicate userId bans the first tab, RemoveUser bans with removed-by-admin', async (t) => {
  const server = await startEmulatorServer({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close());
  const bundle = await bundlePageScript(pageScript);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext();
  const problems = [];
  const openTab = async () => {
    const tab = await openModulePage(context, bundle, problems, { origin: server.url });
    await tab.waitForFunction(() => typeof window.enterRoom === 'function');
    return tab;
  };
  const reportsOf = (tab) => tab.evaluate(() => window.reports);
  const waitForReport = (tab, type) =>
    tab.waitForFunction((type) => window.reports.some((r) => r.type === type), type, { timeout: 10_000 });

  const first = await openTab();
  const second = await openTab();
  await first.evaluate(({ url }) => window.enterRoom(url, 'alice', 1234), { url: server.webSocketUrl });
  await waitForReport(first, 'joined');
  await second.evaluate(({ url }) => window.enterRoom(url, 'alice', 1234), { url: server.webSocketUrl });
  await waitForReport(second, 'joined');
  await waitForReport(first, 'banned');
  assert.deepEqual(await reportsOf(first), [
    { type: 'joined', reason: undefined, code: undefined, state: 'joined' },
    { type: 'banned', reason: 'duplicate-user-id', code: undefined, state: 'banned' },
  ]);
  assert.deepEqual(
    server.rooms().map((room) => room.members),
    [['alice']],
  );

  const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
    credential: server.credentials,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: server.apiEndpoint, protocol: 'http://' } },
  });
  await admin.request('RemoveUser', { SdkAppId: 1400000001, RoomId: 1234, UserIds: ['alice'] });
  await waitForReport(second, 'banned');
  assert.deepEqual(await reportsOf(second), [
    { type: 'joined', reason: undefined, code: undefined, state: 'joined' },
    { type: 'banned', reason: 'removed-by-admin', code: undefined, state: 'banned' },
  ]);
  assert.deepEqual(
    await reportsOf(first),
    [
      { type: 'joined', reason: undefined, code: undefined, state: 'joined' },
      { type: 'banned', reason: 'duplicate-user-id', code: undefined, state: 'banned' },
    ],
    'the first tab never came back',
  );
  assert.deepEqual(server.rooms(), []);
  assert.deepEqual(problems, []);
});

test('in a browser over the networked emulator, users already in the room are announced with peer-join before join() resolves', async (t) => {
  const server = await startEmulatorServer({ port: 0, host: '127.0.0.1' });
  t.after(() => server.close());
  const bundle = await bundlePageScript(`
import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
window.joinAfterBob = async (url) => {
  const { sdk } = connectTrtcEmulator(url);
  await sdk.createClient({ sdkAppId: 1400000001, userId: 'bob', userSig: 'sig', mode: 'rtc' }).join({ roomId: 42 });
  const alice = sdk.createClient({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' });
  const heard = [];
  alice.on('peer-join', ({ userId }) => heard.push('peer-join ' + userId));
  await alice.join({ roomId: 42 });
  heard.push('join() resolved');
  return heard;
};
`);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const problems = [];
  const tab = await openModulePage(browser, bundle, problems, { origin: server.url });
  await tab.waitForFunction(() => typeof window.joinAfterBob === 'function');
  assert.deepEqual(await tab.evaluate((url) => window.joinAfterBob(url), server.webSocketUrl), [
    'peer-join bob',
    'join() resolved',
  ]);
  assert.deepEqual(problems, []);
});
