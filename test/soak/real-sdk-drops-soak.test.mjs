// `npm run test:soak` (outside `npm test`: over 6 minutes): for each unmodified SDK (trtc-js-sdk, trtc-sdk-v5), a
// two-page call of <trtc-room camera microphone> through the networked emulator for 3 minutes (SOAK_MS), with a
// 3 s drop (the emulator's drop fault) every 20 s, of alice and bob in turn. Each drop must be survived: the dropped
// SDK CONNECTED again within its 20 s slot and both elements still joined; no member lost (no peer-leave or left, the
// emulator's room still holds both). Prints drops survived, members lost, the recovery time's median and maximum
// (from the drop to CONNECTED again), how many drops saw frames advance both ways again within their slot and when
// (from the drop's end: framesBack*),
// and the emulator's RSS (this process's: the emulator runs in it) at the start and the end; bench/RESULTS.md and
// docs/network.md keep the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealSdkRig, waitForReport } from '../node/support/real-sdk-page.mjs';

const STAY_MS = Number(process.env.SOAK_MS ?? 180_000);
const EVERY_MS = 20_000;
const DROP_MS = 3000;
const WAIT = { timeout: 60_000 };
// SOAK_SDKS=v5 runs one SDK.

const init = `
window.elementOf = (el) => document.querySelector('trtc-room[data-number="' + el + '"]');
window.publishing = {};
document.addEventListener('local-media', (event) => (window.publishing[event.target.dataset.number] = event.detail));
`;

const mb = (bytes) => Math.round(bytes / 1024 / 1024);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

for (const sdk of (process.env.SOAK_SDKS ?? 'v4,v5').split(',')) {
  test(
    `${sdk}: a two-page call through ${STAY_MS / 1000} s with a ${DROP_MS / 1000} s drop every ${EVERY_MS / 1000} s`,
    { timeout: STAY_MS + 240_000 },
    async (t) => {
      const rig = await startRealSdkRig(t);
      const roomId = sdk === 'v4' ? 8801 : 8802;
      const users = [];
      for (const userId of ['alice', 'bob']) {
        const page = await rig.open(userId, { init });
        const props = { camera: true, microphone: true };
        const el = await page.evaluate((options) => window.enterRoom(options), { sdk, userId, roomId, props });
        await waitForReport(page, { el, type: 'joined' }, WAIT);
        await page.waitForFunction(
          (el) => window.publishing[el]?.camera && window.publishing[el]?.microphone,
          el,
          WAIT,
        );
        users.push({ page, el, userId });
      }
      const [alice, bob] = users;
      const advancing = async (viewer, userId, deadline) => {
        while (Date.now() < deadline)
          if (
            await viewer.page.evaluate(
              // Decoded frames of the remote track (whether or not the tab renders): test/support/media-probe.ts.
              ({ el, userId }) => window.mediaProbe.framesAdvanceWithin(window.elementOf(el), userId, 2000),
              { el: viewer.el, userId },
            )
          )
            return true;
        return false;
      };
      const bothWays = (deadline) =>
        Promise.all([advancing(alice, 'bob', deadline), advancing(bob, 'alice', deadline)]).then((r) =>
          r.every(Boolean),
        );
      assert.ok(await bothWays(Date.now() + 180_000), 'frames advance both ways before the first drop');
      const rssStart = process.memoryUsage().rss;
      const reportsBefore = await Promise.all(users.map(({ page }) => page.evaluate(() => window.reports.length)));

      const recoveries = [];
      const framesBack = [];
      const failures = [];
      /** Drops after which frames did not advance both ways within the slot: whose drop it was. */
      const frozen = [];
      const end = Date.now() + STAY_MS;
      for (let drop = 0; Date.now() + EVERY_MS <= end; drop++) {
        const target = users[drop % 2];
        const statesBefore = await target.page.evaluate((el) => (window.connectionStates[el] ?? []).length, target.el);
        const start = Date.now();
        rig.server.faults.drop({ userId: target.userId, durationMs: DROP_MS });
        // Back: the dropped SDK left CONNECTED and is CONNECTED again, and frames advance both ways; within the slot.
        const deadline = start + EVERY_MS;
        // Frames are looked for from the drop's end, alongside the signalling's reconnection (media need not wait for
        // it): the time until they advance both ways is the recovery a user sees.
        const dropEnd = start + DROP_MS;
        const framesAfterEnd = new Promise((resolve) => setTimeout(resolve, dropEnd - Date.now()))
          .then(() => bothWays(deadline))
          .then((both) => (both ? Date.now() - dropEnd : null));
        const reconnected = await target.page
          .waitForFunction(
            ({ el, from }) => {
              const states = (window.connectionStates[el] ?? []).slice(from);
              return states.some((s) => s !== 'CONNECTED') && states.at(-1) === 'CONNECTED';
            },
            { el: target.el, from: statesBefore },
            { timeout: Math.max(1000, deadline - Date.now()) },
          )
          .then(
            () => true,
            () => false,
          );
        const reconnectedMs = Date.now() - start;
        const framesMs = await framesAfterEnd;
        const flowing = framesMs !== null;
        const joined = (
          await Promise.all(users.map(({ page, el }) => page.evaluate((el) => window.elementOf(el).state, el)))
        ).every((state) => state === 'joined');
        // Survived: the dropped SDK is CONNECTED again and both elements are still joined; frames are counted apart.
        if (reconnected && joined) recoveries.push(reconnectedMs);
        else failures.push({ drop, userId: target.userId, reconnected, flowing, joined });
        if (flowing) framesBack.push(framesMs);
        else frozen.push({ drop, userId: target.userId });
        const rest = start + EVERY_MS - Date.now();
        if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      }
      const rssEnd = process.memoryUsage().rss;

      const after = await Promise.all(
        users.map(({ page }, i) => page.evaluate((from) => window.reports.slice(from), reportsBefore[i])),
      );
      const lost = after.flat().filter((r) => r.type === 'peer-leave' || r.type === 'left').length;
      const room = rig.server.rooms().find((r) => r.roomId === roomId);
      const membersLost = 2 - (room?.members.length ?? 0) + lost;
      const figures = {
        sdk,
        drops: recoveries.length + failures.length,
        survived: recoveries.length,
        membersLost,
        recoveryMedianMs: median(recoveries),
        recoveryMaxMs: Math.max(...recoveries),
        framesBackWithinSlot: framesBack.length,
        framesBackMedianMs: median(framesBack),
        framesBackMaxMs: Math.max(...framesBack),
        rssStartMb: mb(rssStart),
        rssEndMb: mb(rssEnd),
      };
      console.log(`# soak with drops: ${JSON.stringify(figures)}`);
      t.diagnostic(JSON.stringify({ ...figures, recoveries, framesBack, frozen, failures, reports: after }));
      assert.deepEqual(failures, [], 'every drop survived');
      assert.equal(membersLost, 0, 'no member lost');
      assert.deepEqual(after.flat(), [], 'no peer-join, peer-leave, error or left during the soak');
      assert.deepEqual(rig.problems, []);
      assert.deepEqual(rig.aborted, []);
    },
  );
}
