// `npm run test:soak` (outside `npm test`: several minutes): <trtc-room> on the unmodified trtc-js-sdk and
// trtc-sdk-v5 through the networked emulator under its injected faults (docs/network.md, docs/emulator.md#faults).
// Per SDK, two pages in a call (camera, microphone, controls):
//   - a short drop (3 s, inside both SDKs' retry windows): the dropped page's SDK goes through its reconnecting
//     states and back to CONNECTED, both elements stay joined, no peer-leave, no repeated peer-join, frames advance
//     again on both sides (the recovery time is measured and printed, not asserted);
//   - network quality: `network-quality` fires on both pages, and injected loss gives the lossy user's tile
//     `poor-network`, gone once the loss ends;
//   - a long drop (until the SDK gives up): `error` `connection-lost`, every captured track ended, state `error`,
//     and `join()` works once the fault is restored;
//   - a restart, rooms forgotten, then one with rooms kept, each down until the SDKs gave up: as a long drop, and
//     the emulator's rooms are then empty, or kept; except that trtc-sdk-v5 resumes a kept room (its reconnect
//     command is answered code 0) and stays joined.
// The SDKs' retry windows are long (trtc-js-sdk: 30 attempts, about 5½ minutes, SignalChannel.reconnect); the
// dropped page's clock is Playwright's, fast-forwarded through them (the SDK's own timers, its own schedule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTs } from '../../scripts/load-ts.mjs';
import { startRealSdkRig, waitForReport } from '../node/support/real-sdk-page.mjs';

const { SDK_RECONNECT_ATTEMPTS, sdkReconnectDelayMs } = await loadTs('src/emulator/page/v4-client.ts');

/**
 * How far a page's clock may be fast-forwarded before its SDK must have given up: trtc-js-sdk's 30 attempts
 * (da(n): 2, 2, 3, 3, 5, 5, 8, 8, then 13 s, 322 s in all), with a minute to spare; trtc-sdk-v5 gives up well within
 * it (one connect() of 10 s, its reconnect command's 5 s, then Room.reJoin's connect and join).
 */
let v4Window = 0;
for (let attempt = 1; attempt <= SDK_RECONNECT_ATTEMPTS; attempt++) v4Window += sdkReconnectDelayMs(attempt);
const GIVE_UP_WITHIN_MS = v4Window + 60_000;
const WAIT = { timeout: 60_000 };
/** The SDKs run (SOAK_SDKS=v5 runs one). */
const DROP_TIMEOUT_MS = 20_000;
const SDKS = (process.env.SOAK_SDKS ?? 'v4,v5').split(',');

const init = `
window.captured = [];
const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await getUserMedia(constraints);
  window.captured.push(...stream.getTracks());
  return stream;
};
window.liveCaptured = () => window.captured.filter((t) => t.readyState === 'live').length;
window.quality = [];
document.addEventListener('network-quality', (event) => window.quality.push({ ...event.detail }));
window.publishing = {};
document.addEventListener('local-media', (event) => (window.publishing[event.target.dataset.number] = event.detail));
window.elementOf = (el) => document.querySelector('trtc-room[data-number="' + el + '"]');
window.partsOf = (el, userId) =>
  (window.elementOf(el)?.shadowRoot?.querySelector('[data-user-id="' + userId + '"]')?.getAttribute('part') ?? '').split(' ');
/** Whether userId's video in element el presents two new frames within ms (the <video> looked up afresh). */
window.advancing = (el, userId, ms = 2000) => new Promise((resolve) => {
  const video = window.elementOf(el)?.shadowRoot?.querySelector('[data-user-id="' + userId + '"] video');
  if (!video || !video.videoWidth) return void setTimeout(() => resolve(false), 200);
  let frames = 0;
  const timer = setTimeout(() => resolve(false), ms);
  const count = () => {
    if (++frames >= 2) {
      clearTimeout(timer);
      resolve(true);
    } else video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
});
`;

test(
  '<trtc-room> on both real SDKs through the emulator survives drops, reports quality, and gives up as the SDK does',
  { timeout: 900_000 },
  async (t) => {
    // A dropped member stays in its room 20 s (TRTC: 90 s): what a long drop outlasts.
    const rig = await startRealSdkRig(t, { serverOptions: { dropTimeoutMs: DROP_TIMEOUT_MS } });
    const { faults } = rig.server;
    // a and b keep the browser's own clock (frames are counted there); c and d have Playwright's, for the long waits.
    const pages = {
      a: await rig.open('a', { init }),
      b: await rig.open('b', { init }),
      c: await rig.open('c', { init, clock: true }),
      d: await rig.open('d', { init, clock: true }),
    };
    let room = 7700;
    const step = (what) => t.diagnostic(`${new Date().toISOString().slice(11, 19)} ${what}`);

    /** A <trtc-room camera microphone controls> on `sdk` in tab `tab`, joined. */
    async function enter(sdk, tab, userId, roomId) {
      const page = pages[tab];
      const props = { camera: true, microphone: true, controls: true };
      const el = await page.evaluate((options) => window.enterRoom(options), { sdk, userId, roomId, props });
      await waitForReport(page, { el, type: 'joined' }, WAIT);
      // Publishing, before any fault: a publish under way when the network goes fails on its own (media-failed).
      await page.waitForFunction((el) => window.publishing[el]?.camera && window.publishing[el]?.microphone, el, WAIT);
      return { page, el, userId };
    }
    /** Resolves once `viewer` sees `userId`'s frames advance (bounded). */
    async function advancing(viewer, userId) {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (await viewer.page.evaluate(({ el, userId }) => window.advancing(el, userId), { el: viewer.el, userId }))
          return;
      }
      assert.fail(`${viewer.userId} sees ${userId}'s frames advance`);
    }
    const reportsOf = async ({ page, el }) => (await page.evaluate(() => window.reports)).filter((r) => r.el === el);
    const statesOf = ({ page, el }) => page.evaluate((el) => window.connectionStates[el] ?? [], el);
    const stateOf = ({ page, el }) => page.evaluate((el) => window.elementOf(el).state, el);
    /**
     * Waits until `done` holds, for as long as `who`'s SDK may reconnect: trtc-js-sdk's page clock is fast-forwarded
     * 5 s at a time through its 30 attempts; trtc-sdk-v5's window is short (one connect() of 10 s, its reconnect
     * command's 5 s, Room.reJoin's connect and 5 s join) and is waited out in real time. Returns the time it took.
     */
    async function fastForwardUntil(sdk, who, done) {
      const start = Date.now();
      for (let forwarded = 0; forwarded <= GIVE_UP_WITHIN_MS; forwarded += 5000) {
        if (await done()) return sdk === 'v4' ? `${forwarded / 1000} s of its clock` : `${Date.now() - start} ms`;
        if (sdk === 'v4') await who.page.clock.fastForward(5000);
        await new Promise((resolve) => setTimeout(resolve, sdk === 'v4' ? 100 : 1000));
      }
      assert.fail(`${who.userId}'s SDK did not give up within ${GIVE_UP_WITHIN_MS / 1000} s`);
    }
    /**
     * Who gave up: `connection-lost`, state `error`, every captured track ended. Before it, trtc-sdk-v5 may have
     * warned 5500 (extraCode 5501, firewall-restriction: its FirewallDetector counts each failed SignalChannel.connect
     * and warns once at the third), which the element reports as `sdk-warning`; nothing else.
     */
    async function gaveUp(sdk, who, since) {
      const after = (await reportsOf(who)).slice(since.length);
      const errors = after.filter((r) => r.type === 'error');
      assert.deepEqual(
        errors.filter((r) => !(sdk === 'v5' && r.code === 'sdk-warning' && r.sdkCode === 5500)).map((r) => r.code),
        ['connection-lost'],
        `${who.userId}: one error, connection-lost: ${JSON.stringify(after)}`,
      );
      assert.equal(await stateOf(who), 'error');
      assert.equal(
        await who.page.evaluate(() => window.liveCaptured()),
        0,
        `${who.userId}: every captured track ended`,
      );
    }
    const clean = async () => {
      for (const page of Object.values(pages))
        await page.evaluate(() => {
          for (const el of document.querySelectorAll('trtc-room')) el.remove();
          window.captured = [];
          window.quality = [];
          window.publishing = {};
        });
    };

    for (const sdk of SDKS) {
      await t.test(
        `${sdk}: a 3 s drop of one member: reconnecting and back, both joined, no peer-leave or repeated peer-join, frames advance again`,
        async () => {
          await clean();
          const roomId = ++room;
          const alice = await enter(sdk, 'a', 'alice', roomId);
          const bob = await enter(sdk, 'b', 'bob', roomId);
          await Promise.all([advancing(alice, 'bob'), advancing(bob, 'alice')]);
          const before = {
            alice: await reportsOf(alice),
            bob: await reportsOf(bob),
            states: (await statesOf(alice)).length,
          };
          const start = Date.now();
          faults.drop({ userId: 'alice', durationMs: 3000 });
          await alice.page.waitForFunction(
            ({ el, from }) => {
              const states = (window.connectionStates[el] ?? []).slice(from);
              return states.some((s) => s !== 'CONNECTED') && states.at(-1) === 'CONNECTED';
            },
            { el: alice.el, from: before.states },
            WAIT,
          );
          const reconnected = Date.now() - start;
          await Promise.all([advancing(alice, 'bob'), advancing(bob, 'alice')]);
          const recovered = Date.now() - start;
          step(`${sdk}: signalling back after ${reconnected} ms, frames advancing on both sides after ${recovered} ms`);
          console.log(
            `# ${sdk} short drop (3 s): CONNECTED again after ${reconnected} ms, frames both ways after ${recovered} ms`,
          );
          const states = (await statesOf(alice)).slice(before.states);
          assert.ok(states.length >= 2, `alice's SDK went through its reconnection: ${states.join(' → ')}`);
          for (const [who, since] of [
            [alice, before.alice],
            [bob, before.bob],
          ]) {
            assert.equal(await stateOf(who), 'joined', `${who.userId} stayed joined`);
            assert.deepEqual(
              (await reportsOf(who)).slice(since.length),
              [],
              `${who.userId}: no peer-leave, no peer-join, no error`,
            );
          }
        },
      );

      await t.test(
        `${sdk}: network-quality fires on both pages; injected loss gives the lossy user's tile poor-network, until it ends`,
        async () => {
          const alice = {
            page: pages.a,
            el: await pages.a.evaluate(() => Number(document.querySelector('trtc-room').dataset.number)),
            userId: 'alice',
          };
          const bob = {
            page: pages.b,
            el: await pages.b.evaluate(() => Number(document.querySelector('trtc-room').dataset.number)),
            userId: 'bob',
          };
          for (const who of [alice, bob])
            await who.page.waitForFunction(
              (userId) =>
                window.quality.filter((q) => q.userId === userId && q.uplink >= 0 && q.uplink <= 6).length >= 2,
              who.userId,
              WAIT,
            );
          const lossy = faults.degradeMedia({ userId: 'bob', lossPercent: 60 });
          await bob.page.waitForFunction((el) => window.partsOf(el, 'bob').includes('poor-network'), bob.el, WAIT);
          const seen = await bob.page.evaluate(() => window.quality.at(-1));
          step(`${sdk}: bob at 60 % loss: ${JSON.stringify(seen)}`);
          lossy.restore();
          await bob.page.waitForFunction((el) => !window.partsOf(el, 'bob').includes('poor-network'), bob.el, WAIT);
          assert.equal(await stateOf(bob), 'joined');
        },
      );

      await t.test(
        `${sdk}: a drop until the SDK gives up: connection-lost, every track ended, state error; join() works once restored`,
        async () => {
          await clean();
          const roomId = ++room;
          const alice = await enter(sdk, 'c', 'alice', roomId);
          await enter(sdk, 'd', 'bob', roomId);
          const before = await reportsOf(alice);
          const drop = faults.drop({ userId: 'alice' });
          if (sdk === 'v4') {
            const took = await fastForwardUntil(sdk, alice, async () => (await stateOf(alice)) === 'error');
            step(`${sdk}: gave up after ${took}`);
          } else {
            // trtc-sdk-v5 never gives up on the drop itself (SignalChannel.connect retries every 2 s without end):
            // once the service has let the member go and refuses it back, its Room.reJoin fails and it exits.
            const start = Date.now();
            while (rig.server.rooms().some((r) => r.roomId === roomId && r.members.includes('alice'))) {
              assert.ok(Date.now() - start < DROP_TIMEOUT_MS + 30_000, 'the emulator lets the dropped member go');
              await new Promise((resolve) => setTimeout(resolve, 500));
            }
            assert.equal(await stateOf(alice), 'joined', 'trtc-sdk-v5 still reconnecting after the drop timeout');
            const refused = faults.refuseJoins({ userId: 'alice' });
            drop.restore();
            await alice.page.waitForFunction((el) => window.elementOf(el).state === 'error', alice.el, WAIT);
            step(`${sdk}: gave up ${Date.now() - start} ms after the drop, its rejoin refused`);
            refused.restore();
          }
          await gaveUp(sdk, alice, before);
          drop.restore();
          assert.equal(
            await alice.page.evaluate(
              (el) =>
                window
                  .elementOf(el)
                  .join()
                  .then(
                    () => 'joined',
                    (e) => e.message,
                  ),
              alice.el,
            ),
            'joined',
          );
        },
      );

      for (const keepRooms of [false, true]) {
        // trtc-sdk-v5 resumes a membership the restart kept: its reconnect command (SignalChannel.reconnect) is
        // answered CHANNEL_RECONNECT_RESULT code 0, so it syncs the user list and stays (as the v5 double does).
        const resumes = sdk === 'v5' && keepRooms;
        await t.test(
          resumes
            ? `${sdk}: a restart (keepRooms: true): the SDK reconnects into the kept room, both stay joined, no error, no peer-leave`
            : `${sdk}: a restart (keepRooms: ${keepRooms}) down until the SDKs gave up: as a long drop, and the rooms are ${keepRooms ? 'kept' : 'empty'}`,
          async () => {
            await clean();
            const roomId = ++room;
            const alice = await enter(sdk, 'c', 'alice', roomId);
            const bob = await enter(sdk, 'd', 'bob', roomId);
            const before = { alice: await reportsOf(alice), bob: await reportsOf(bob) };
            const statesBefore = { alice: (await statesOf(alice)).length, bob: (await statesOf(bob)).length };
            // trtc-js-sdk gives up while the emulator is down (its 30 attempts, fast-forwarded): the restart is
            // followed by a drop of everyone, held until it gave up (a fixed downMs raced the fast-forward on a busy
            // machine: the emulator came back first and the SDK rejoined). trtc-sdk-v5 never gives up on its
            // signalling, so the emulator is back at once and refuses its rejoin (Room.reJoin).
            const down = sdk === 'v4' ? faults.drop() : undefined;
            const refused = sdk === 'v5' && !keepRooms ? faults.refuseJoins({ roomId }) : undefined;
            await faults.restart({ keepRooms, downMs: 0 });
            // What the restart kept, seen at once (kept members are waited for only the drop timeout, as after a drop).
            const rooms = rig.server.rooms().filter((r) => r.roomId === roomId);
            if (keepRooms)
              assert.deepEqual(
                rooms.map((r) => r.members.sort()),
                [['alice', 'bob']],
                'the room is kept',
              );
            else assert.deepEqual(rooms, [], 'no room after a restart that forgets them');
            if (resumes) {
              for (const who of [alice, bob])
                await who.page.waitForFunction(
                  ({ el, from }) => {
                    const states = (window.connectionStates[el] ?? []).slice(from);
                    return states.some((s) => s !== 'CONNECTED') && states.at(-1) === 'CONNECTED';
                  },
                  { el: who.el, from: statesBefore[who.userId] },
                  WAIT,
                );
              for (const who of [alice, bob]) {
                assert.equal(await stateOf(who), 'joined', `${who.userId} stayed joined`);
                assert.deepEqual(
                  (await reportsOf(who)).slice(before[who.userId].length),
                  [],
                  `${who.userId}: no event`,
                );
              }
            } else {
              await Promise.all(
                [alice, bob].map((who) => fastForwardUntil(sdk, who, async () => (await stateOf(who)) === 'error')),
              );
              down?.restore();
              refused?.restore();
              for (const who of [alice, bob]) await gaveUp(sdk, who, before[who.userId]);
            }
            if (resumes) return;
            for (const who of [alice, bob])
              assert.equal(
                await who.page.evaluate(
                  (el) =>
                    window
                      .elementOf(el)
                      .join()
                      .then(
                        () => 'joined',
                        (e) => e.message,
                      ),
                  who.el,
                ),
                'joined',
              );
          },
        );
      }
    }
    await clean();
    assert.deepEqual(rig.problems, []);
    // trtc-sdk-v5 asks its schedule servers again every third failed connect (SignalChannel.reGetSignalChannelUrl
    // calls Room.schedule whatever the proxy; its signalling URL stays the proxy's, getSignalChannelUrl): aborted, nothing else.
    assert.deepEqual(
      rig.aborted.filter((url) => !/^https:\/\/schedule\.cloud-rtc\.(com|net)\/api\/v1\/config/.test(url)),
      [],
    );
  },
);
