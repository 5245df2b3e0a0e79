// `npm run test:soak` (outside `npm test`: it takes over 3 minutes): the unmodified trtc-js-sdk and trtc-sdk-v5
// stay joined to the emulator for 3 minutes of heartbeats on one socket each (v5's one move to a fresh socket,
// right after its join, aside), then still get a forced exit. SOAK_MS shortens or lengthens the stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { reportsOf, startRealSdkRig, waitForReport } from '../node/support/real-sdk-page.mjs';

const STAY_MS = Number(process.env.SOAK_MS ?? 180_000);

test(
  `real SDK pages stay joined through ${STAY_MS / 1000} s of heartbeats, then RemoveUser still reaches them`,
  { timeout: STAY_MS + 120_000 },
  async (t) => {
    const rig = await startRealSdkRig(t);
    const pages = {};
    for (const [sdk, userId] of [
      ['v4', 'alice'],
      ['v5', 'bob'],
    ]) {
      const page = await rig.open(`${sdk}:${userId}`);
      // Counts what the SDK sends: sockets opened and heartbeats (quality_report) sent.
      await page.evaluate(() => {
        window.wire = { sockets: 0, heartbeats: 0 };
        const { send } = WebSocket.prototype;
        WebSocket.prototype.send = function (data) {
          if (typeof data === 'string' && data.includes('"cmd":"quality_report"')) window.wire.heartbeats++;
          return send.call(this, data);
        };
        const Native = WebSocket;
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            window.wire.sockets++;
          }
        };
      });
      await page.evaluate((options) => window.enterRoom(options), { sdk, userId, roomId: 4321 });
      await waitForReport(page, { type: 'joined' });
      pages[sdk] = page;
    }
    await waitForReport(pages.v4, { type: 'peer-join', userId: 'bob' });
    // v5 moves to a fresh socket once, right after its join (the emulator refuses its single peer connection).
    await pages.v5.waitForFunction(() => window.wire.sockets === 2, null, { timeout: 20_000 });
    for (let i = 0; i < 200 && !rig.lines.some((line) => line.startsWith('bob (trtc-sdk-v5 5.17.1) reconnected')); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const linesBefore = rig.lines.length;
    const start = Object.fromEntries(
      await Promise.all(
        Object.entries(pages).map(async ([sdk, page]) => [sdk, await page.evaluate(() => ({ ...window.wire }))]),
      ),
    );

    await new Promise((resolve) => setTimeout(resolve, STAY_MS));

    for (const [sdk, page] of Object.entries(pages)) {
      const wire = await page.evaluate(() => ({ ...window.wire }));
      assert.equal(wire.sockets, start[sdk].sockets, `${sdk} opened no other socket while it stayed`);
      // One every 2 s when on time; at least one every 6 s however slow the machine.
      assert.ok(
        wire.heartbeats - start[sdk].heartbeats >= STAY_MS / 6000,
        `${sdk} kept sending heartbeats (${wire.heartbeats - start[sdk].heartbeats})`,
      );
      assert.equal(await page.$eval('trtc-room', (el) => el.state), 'joined');
      assert.deepEqual(
        (await reportsOf(page)).map((r) => r.type),
        ['joined', 'peer-join'],
        `${sdk}: nothing happened while it stayed`,
      );
    }
    assert.deepEqual(rig.server.rooms(), [
      { sdkAppId: 1400000001, roomId: 4321, members: ['alice', 'bob'], disconnected: [] },
    ]);
    assert.deepEqual(rig.lines.slice(linesBefore), [], 'no join, leave, drop or reconnection while they stayed');

    const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
      credential: rig.server.credentials,
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: rig.server.apiEndpoint, protocol: 'http://' } },
    });
    await admin.request('RemoveUser', { SdkAppId: 1400000001, RoomId: 4321, UserIds: ['alice', 'bob'] });
    for (const page of Object.values(pages)) {
      await waitForReport(page, { type: 'banned' });
      assert.equal((await reportsOf(page)).at(-1).reason, 'removed-by-admin');
    }
    assert.deepEqual(rig.problems, []);
    assert.deepEqual(rig.aborted, []);
  },
);
