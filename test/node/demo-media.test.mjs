// End to end: the demo (`npm start`) in two Chromium tabs with fake devices, driven through the page's own UI:
// each joins, turns its camera and microphone on with the element's own controls (`controls`), and shows the
// other's moving video in the element's tiles. Once per SDK selector that runs offline: the emulated SDK, and the
// unmodified trtc-js-sdk and trtc-sdk-v5 through the emulator's media server. One demo server and one browser.
// On the emulated SDK, one then shares a screen (Chromium's fake screen: the picker is granted by
// --use-fake-ui-for-media-stream) and the other sees it move in a tile of its own.
// Screenshots with the video go to .artifacts/e2e/ (git-ignored): media-<sdk>-<user>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { FAKE_DEVICES, LOOPBACK_ONLY, launchChromium } from '../../scripts/chromium.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = resolve(root, '.artifacts/e2e');
const CAMERA = 'trtc-room [part~="control"][part~="camera"]';
const MICROPHONE = 'trtc-room [part~="control"][part~="microphone"]';
const SCREEN = 'trtc-room [part~="control"][part~="screen"]';

// `screen`: the screen-share steps too (the emulated SDK's; the real SDKs' are in real-sdk-media-*.test.mjs).
const SELECTORS = [
  { sdk: 'emulated', room: '777', screen: true },
  { sdk: 'v4-emulator', room: '778' },
  { sdk: 'v5-emulator', room: '779' },
];

test('the demo: two tabs with camera and microphone on see each other move, offline, on each SDK selector', async (t) => {
  mkdirSync(shots, { recursive: true });
  const { startDemoServer } = await loadTs('demo/server.ts');
  const lines = [];
  const server = await startDemoServer({ port: 0, log: (line) => lines.push(line) });
  t.after(() => server.close());
  const browser = await launchChromium([
    ...FAKE_DEVICES,
    // The real SDKs reach for Tencent's hosts (logs, reports): offline, they resolve nowhere.
    LOOPBACK_ONLY,
    // Every tab renders as if in front: frames are presented in both.
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    '--disable-background-timer-throttling',
  ]);
  t.after(() => browser.close());

  /** A demo tab on selector `sdk` that joins `room` as userId through the page's form and turns its camera on. */
  async function joinWithCamera(sdk, room, userId, pages, problems) {
    // Its own context: its own storage, as a second browser tab of a person would have its own session.
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    pages.push(page);
    page.on('pageerror', (error) => problems.push(`${userId}: ${error.message}`));
    await page.goto(`${server.url}?sdk=${sdk}`);
    await page.fill('input[name=userId]', userId);
    await page.fill('input[name=roomId]', room);
    await page.click('#join');
    await page.waitForSelector('trtc-room[state=joined]', { timeout: 30_000 });
    // The element's own buttons, in its shadow root (Playwright's CSS selectors pierce open shadow roots).
    await page.click(CAMERA);
    return page;
  }

  for (const { sdk, room, screen } of SELECTORS)
    // A bound, not a timing: the screen share adds up to 45 s of bounded waits to the call's.
    await t.test(`selector ${sdk}`, { timeout: screen ? 180_000 : 120_000 }, async () => {
      const problems = [];
      const pages = [];
      async function joinWithDevices(userId) {
        const page = await joinWithCamera(sdk, room, userId, pages, problems);
        await page.click(MICROPHONE);
        await page.$eval('trtc-room', (el) => el.scrollIntoView());
        return page;
      }
      /**
       * Waits until the tile of `userId` in this page shows a picture that moves: videoWidth > 0, and both its
       * playback position and its count of decoded frames past the first ones seen.
       */
      const seesMoving = (page, userId) =>
        page.waitForFunction(
          (userId) => {
            const video = document
              .querySelector('trtc-room')
              .shadowRoot.querySelector(`[data-user-id="${userId}"] video`);
            if (!video || !video.videoWidth) return false;
            const frames = video.getVideoPlaybackQuality().totalVideoFrames;
            const first = ((window.firstSeen ??= {})[userId] ??= { time: video.currentTime, frames });
            return video.currentTime > first.time && frames > first.frames;
          },
          userId,
          { timeout: 45_000, polling: 250 },
        );
      try {
        const alice = await joinWithDevices('alice');
        const bob = await joinWithDevices('bob');
        await Promise.all([
          seesMoving(alice, 'bob'),
          seesMoving(bob, 'alice'),
          seesMoving(alice, 'alice'),
          seesMoving(bob, 'bob'),
        ]);
        for (const [name, page] of [
          ['alice', alice],
          ['bob', bob],
        ]) {
          assert.equal(await page.getAttribute(CAMERA, 'aria-pressed'), 'true');
          assert.equal(await page.getAttribute(MICROPHONE, 'aria-pressed'), 'true');
          const parts = await page.$eval('trtc-room', (el) =>
            [...el.shadowRoot.querySelectorAll('[part~="tile"]')].map((tile) =>
              tile.getAttribute('part').split(' ').slice(0, 2).join(' '),
            ),
          );
          assert.deepEqual(parts, ['tile local', 'tile remote']);
          await page.screenshot({ path: resolve(shots, `media-${sdk}-${name}.png`), fullPage: true });
        }
        // Camera off from bob's bar: alice's tile of bob loses its video, keeps the label and says video-muted.
        await bob.click(CAMERA);
        await alice.waitForFunction(
          () => !document.querySelector('trtc-room').shadowRoot.querySelector('[data-user-id="bob"] video'),
          null,
          { timeout: 15_000 },
        );
        assert.equal(
          await alice.$eval(
            'trtc-room',
            (el) => el.shadowRoot.querySelector('[data-user-id="bob"] [part="label"]').textContent,
          ),
          'bob',
        );
        await alice.waitForFunction(
          () =>
            document
              .querySelector('trtc-room')
              .shadowRoot.querySelector('[data-user-id="bob"]')
              .getAttribute('part')
              .split(' ')
              .includes('video-muted'),
          null,
          { timeout: 15_000 },
        );
        await alice.screenshot({ path: resolve(shots, `media-${sdk}-alice-bob-camera-off.png`), fullPage: true });
        if (screen) {
          // Screen share from bob's bar: alice gets bob's screen in a tile of its own, first, moving.
          await bob.click(SCREEN);
          await alice.waitForFunction(
            () => {
              const video = document
                .querySelector('trtc-room')
                .shadowRoot.querySelector('[part="tile screen"][data-user-id="bob"] video');
              if (!video || !video.videoWidth) return false;
              const first = (window.firstScreenTime ??= video.currentTime);
              return video.currentTime > first;
            },
            null,
            { timeout: 30_000, polling: 250 },
          );
          assert.equal(await bob.getAttribute(SCREEN, 'aria-pressed'), 'true');
          assert.equal(
            await alice.$eval('trtc-room', (el) => el.shadowRoot.querySelector('[part~="tile"]').getAttribute('part')),
            'tile screen',
          );
          await alice.screenshot({ path: resolve(shots, `media-${sdk}-alice-bob-screen.png`), fullPage: true });
          await bob.click(SCREEN);
          await alice.waitForFunction(
            () => !document.querySelector('trtc-room').shadowRoot.querySelector('[part="tile screen"]'),
            null,
            { timeout: 15_000 },
          );
        }
        assert.deepEqual(problems, []);
      } finally {
        await Promise.all(pages.map((page) => page.context().close()));
      }
    });

  // Mixed pages: the emulator carries media three ways that do not reach each other (media-carriers.ts). The room's
  // media is its first carrier's; a page of another SDK joins and sees the others, but its camera is refused with
  // a sentence, shown by the demo from the element's `error` (media-failed). The other orders (trtc-js-sdk's room
  // refusing trtc-sdk-v5 and the emulated SDK) are checked frame by frame in sdk-signalling.test.mjs.
  const MIXED = [{ first: 'emulated', then: 'v4-emulator', room: '781', carrier: 'the emulated SDK' }];
  for (const { first, then, room, carrier } of MIXED)
    await t.test(
      `mixed pages: ${first} first, then ${then}: refused with a sentence`,
      { timeout: 90_000 },
      async () => {
        const problems = [];
        const pages = [];
        const join = (sdk, userId) => joinWithCamera(sdk, room, userId, pages, problems);
        try {
          const alice = await join(first, 'alice');
          // The first page's camera is on its carrier's media (trtc-js-sdk's only from its publish).
          await alice.waitForFunction(
            () =>
              document.querySelector('trtc-room').shadowRoot.querySelector('[data-user-id="alice"] video')?.videoWidth,
            null,
            { timeout: 30_000 },
          );
          const bob = await join(then, 'bob');
          await bob.waitForSelector('#failure:not([hidden])', { timeout: 45_000 });
          const failure = await bob.textContent('#failure');
          assert.match(failure, /^media-failed: /);
          assert.ok(
            failure.includes(`already carries media on ${carrier} (alice)`),
            `bob's failure names the room's carrier and who has media: ${failure}`,
          );
          assert.match(failure, /Put pages of one SDK in a room/);
          // The emulator's log says it too, for the page that had the room first.
          assert.ok(lines.some((line) => line.startsWith('"bob"') && line.includes(`media refused: Room ${room}`)));
          // Each sees the other join; neither sees the other's video.
          assert.ok(await alice.$('trtc-room >> [data-user-id="bob"]'));
          assert.equal(await bob.$('trtc-room >> [data-user-id="alice"] video'), null);
          await bob.screenshot({ path: resolve(shots, `media-mixed-${first}-${then}-bob.png`), fullPage: true });
          assert.deepEqual(problems, []);
        } finally {
          await Promise.all(pages.map((page) => page.context().close()));
        }
      },
    );
});
