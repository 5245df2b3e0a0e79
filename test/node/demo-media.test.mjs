// End to end: the demo (`npm start`) in two Chromium tabs with fake devices, driven through the page's own UI:
// each joins, turns its camera and microphone on with the element's own controls (`controls`), and shows the
// other's moving video in the element's tiles; then one shares a screen (Chromium's fake screen: the picker is granted
// by --use-fake-ui-for-media-stream) and the other sees it move in a tile of its own.
// Screenshots with the video go to .artifacts/e2e/ (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = resolve(root, '.artifacts/e2e');
const CAMERA = 'trtc-room [part~="control"][part~="camera"]';
const MICROPHONE = 'trtc-room [part~="control"][part~="microphone"]';
const SCREEN = 'trtc-room [part~="control"][part~="screen"]';

test(
  'the demo: two tabs with camera and microphone on see each other move, offline',
  // A bound, not a timing: the screen share adds up to 45 s of bounded waits to the call's.
  { timeout: 180_000 },
  async (t) => {
    mkdirSync(shots, { recursive: true });
    const { startDemoServer } = await loadTs('demo/server.ts');
    const server = await startDemoServer({ port: 0 });
    t.after(() => server.close());
    const browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
    t.after(() => browser.close());
    const problems = [];

    async function joinWithDevices(userId) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      page.on('pageerror', (error) => problems.push(`${userId}: ${error.message}`));
      await page.goto(server.url);
      await page.fill('input[name=userId]', userId);
      await page.fill('input[name=roomId]', '777');
      await page.click('#join');
      await page.waitForSelector('trtc-room[state=joined]');
      // The element's own buttons, in its shadow root (Playwright's CSS selectors pierce open shadow roots).
      await page.click(CAMERA);
      await page.click(MICROPHONE);
      await page.$eval('trtc-room', (el) => el.scrollIntoView());
      return page;
    }
    /**
     * Waits until the tile of `userId` in this page shows a picture that moves: videoWidth > 0, and its playback
     * position advancing past the first one seen (in a background tab Chromium presents no frames to
     * requestVideoFrameCallback, while the stream keeps playing).
     */
    const seesMoving = (page, userId) =>
      page.waitForFunction(
        (userId) => {
          const video = document
            .querySelector('trtc-room')
            .shadowRoot.querySelector(`[data-user-id="${userId}"] video`);
          if (!video || !video.videoWidth) return false;
          const first = ((window.firstSeen ??= {})[userId] ??= video.currentTime);
          return video.currentTime > first;
        },
        userId,
        { timeout: 30_000, polling: 250 },
      );

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
      await page.screenshot({ path: resolve(shots, `media-${name}.png`), fullPage: true });
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
    await alice.screenshot({ path: resolve(shots, 'media-alice-bob-camera-off.png'), fullPage: true });
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
    await alice.screenshot({ path: resolve(shots, 'media-alice-bob-screen.png'), fullPage: true });
    await bob.click(SCREEN);
    await alice.waitForFunction(
      () => !document.querySelector('trtc-room').shadowRoot.querySelector('[part="tile screen"]'),
      null,
      { timeout: 15_000 },
    );
    assert.deepEqual(problems, []);
  },
);
