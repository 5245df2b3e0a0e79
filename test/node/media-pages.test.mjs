// The networked emulator carries media between pages: two Chromium pages (two tabs, fake devices), each with a
// `<trtc-room camera microphone>` on `connectTrtcEmulator`, see each other's moving video and receive each
// other's live audio; the emulator server only passes on publications, offers, answers and ICE candidates.
// With autoplay restricted, a page that only receives gets `autoplay-blocked`, and resumeAudio() from a
// click plays the audio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { bundlePageScript, loadTs } from '../../scripts/load-ts.mjs';
import { serveDirectory } from '../../scripts/static-server.mjs';

const root = resolve(import.meta.dirname, '../..');
const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');

const pageScript = `
import '${root}/src/index.ts';
import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
window.reports = [];
window.enterRoom = (url, generation, userId, devices) => {
  const connection = connectTrtcEmulator(url);
  const el = document.createElement('trtc-room');
  el.sdk = generation === 'v5' ? connection.sdkV5 : connection.sdk;
  Object.assign(el, { sdkAppId: 1400000001, roomId: 4321, userId, userSig: 'sig', camera: devices, microphone: devices });
  for (const type of ['joined', 'error', 'autoplay-blocked']) el.addEventListener(type, (event) => window.reports.push({ type, ...event.detail }));
  el.addEventListener('autoplay-blocked', () => console.log('autoplay-blocked'));
  document.body.append(el);
  window.element = el;
  window.connection = connection;
};
// Joins on load when the address says so: no script from the test runs in the page before, which would count as
// a user gesture (Playwright evaluates as one) and let it autoplay.
const query = new URLSearchParams(location.search);
if (query.get('user')) window.enterRoom(query.get('url'), query.get('generation'), query.get('user'), query.get('devices') === '1');
// Resolves once the other user's video in this page has a picture and two more frames arrive.
window.framesOf = (userId) => new Promise((resolve) => {
  const look = () => {
    const video = window.element.shadowRoot.querySelector('[data-user-id="' + userId + '"] video');
    if (!video || !video.videoWidth) return setTimeout(look, 50);
    video.requestVideoFrameCallback(() => video.requestVideoFrameCallback((now, meta) => resolve({ width: video.videoWidth, frames: meta.presentedFrames })));
  };
  look();
});
window.liveAudioFrom = (userId) => [...window.connection.media.links].some((link) => link.kind === 'audio' && link.publisherId === userId && link.track.readyState === 'live');
window.liveTracks = () => [...window.connection.media.capturedTracks].filter((track) => track.readyState === 'live').length;
/** The link that carries userId's kind to this page (null if none). */
window.linkFrom = (userId, kind) => [...window.connection.media.links].find((link) => link.kind === kind && link.publisherId === userId) ?? null;
`;

/**
 * Serves the bundled page from http://127.0.0.1 (a secure context, so it may capture, and on the same local
 * network as the emulator, which Chromium's local network access checks require of a page that opens its socket).
 */
async function servePage(t) {
  const dir = mkdtempSync(join(tmpdir(), 'trtc-room-media-'));
  writeFileSync(join(dir, 'page.js'), await bundlePageScript(pageScript));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><body><button id="play">Play</button><script type="module" src="./page.js"></script></body></html>',
  );
  const server = await serveDirectory(dir);
  t.after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return server.url;
}

async function openPage(browser, url, problems) {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${url}/`);
  await page.waitForFunction(() => typeof window.enterRoom === 'function');
  return page;
}

for (const generation of ['v4', 'v5']) {
  test(
    `two pages on the networked emulator (${generation}) see each other move and receive each other's live audio; a microphone switch keeps the peer's link; leaving ends every track`,
    { timeout: 90_000 },
    async (t) => {
      const url = await servePage(t);
      // The page comes from its own server, as an app's would: the emulator is told to admit that origin (--allow-origin).
      const server = await startEmulatorServer({ port: 0, host: '127.0.0.1', allowedOrigins: [url] });
      t.after(() => server.close());
      const browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
      t.after(() => browser.close());
      const problems = [];
      const [alice, bob] = [await openPage(browser, url, problems), await openPage(browser, url, problems)];
      await alice.evaluate(({ url, generation }) => window.enterRoom(url, generation, 'alice', true), {
        url: server.webSocketUrl,
        generation,
      });
      await bob.evaluate(({ url, generation }) => window.enterRoom(url, generation, 'bob', true), {
        url: server.webSocketUrl,
        generation,
      });
      const [aliceSees, bobSees] = await Promise.all([
        alice
          .waitForFunction(() => window.framesOf('bob'), null, { timeout: 30_000 })
          .then((handle) => handle.jsonValue()),
        bob
          .waitForFunction(() => window.framesOf('alice'), null, { timeout: 30_000 })
          .then((handle) => handle.jsonValue()),
      ]);
      assert.ok(aliceSees.width > 0 && bobSees.width > 0, 'each shows the other with a picture');
      await alice.waitForFunction(() => window.liveAudioFrom('bob'), null, { timeout: 15_000 });
      await bob.waitForFunction(() => window.liveAudioFrom('alice'), null, { timeout: 15_000 });
      for (const page of [alice, bob])
        assert.deepEqual(
          (await page.evaluate(() => window.reports)).filter((r) => r.type === 'error'),
          [],
        );

      // A device switch replaces the published track (the SDK's switchDevice/updateLocalAudio): the peer keeps
      // receiving on the same link. Then alice's camera goes off, which bob hears after anything alice's switch sent.
      await alice.waitForFunction(
        () => window.element.devices.microphones.some((d) => d.deviceId !== 'default'),
        null,
        {
          timeout: 10_000,
        },
      );
      await bob.evaluate(() => {
        window.audioBefore = window.linkFrom('alice', 'audio');
        window.peerMedia = [];
        window.element.addEventListener('peer-media', (event) => window.peerMedia.push(event.detail));
      });
      await alice.evaluate(() => {
        window.tracksBefore = [...window.connection.media.capturedTracks];
        window.element.microphoneId = window.element.devices.microphones.find((d) => d.deviceId !== 'default').deviceId;
      });
      await alice.waitForFunction(
        () =>
          [...window.connection.media.capturedTracks].some(
            (t) => t.kind === 'audio' && !window.tracksBefore.includes(t) && t.readyState === 'live',
          ),
        null,
        { timeout: 10_000 },
      );
      await alice.evaluate(() => (window.element.camera = false));
      await bob.waitForFunction(() => window.peerMedia.some((m) => m.userId === 'alice' && !m.video), null, {
        timeout: 10_000,
      });
      assert.deepEqual(
        await bob.evaluate(() => {
          const link = window.linkFrom('alice', 'audio');
          return { same: link === window.audioBefore, closed: link?.closed, track: link?.track.readyState };
        }),
        { same: true, closed: false, track: 'live' },
        "bob still receives alice's audio on the link he had",
      );

      await bob.evaluate(() => window.element.leave());
      await bob.waitForFunction(() => window.liveTracks() === 0, null, { timeout: 10_000 });
      await alice.waitForFunction(() => !window.element.shadowRoot.querySelector('[data-user-id="bob"] video'), null, {
        timeout: 10_000,
      });
      assert.deepEqual(problems, []);
    },
  );
}

test(
  'autoplay restricted: a page that only receives gets autoplay-blocked, and resumeAudio() from a click plays the audio',
  { timeout: 90_000 },
  async (t) => {
    const url = await servePage(t);
    // The page comes from its own server, as an app's would: the emulator is told to admit that origin (--allow-origin).
    const server = await startEmulatorServer({ port: 0, host: '127.0.0.1', allowedOrigins: [url] });
    t.after(() => server.close());
    const browser = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=document-user-activation-required',
    ]);
    t.after(() => browser.close());
    const problems = [];
    // The listener joins by itself and publishes nothing: a page that does not capture, and has had no gesture.
    const listener = await (await browser.newContext()).newPage();
    listener.on('pageerror', (error) => problems.push(error.message));
    const blocked = listener.waitForEvent('console', {
      predicate: (message) => message.text() === 'autoplay-blocked',
      timeout: 30_000,
    });
    await listener.goto(
      `${url}/?${new URLSearchParams({ url: server.webSocketUrl, generation: 'v4', user: 'listener', devices: '0' })}`,
    );
    const speaker = await openPage(browser, url, problems);
    await speaker.evaluate(({ url }) => window.enterRoom(url, 'v4', 'speaker', true), { url: server.webSocketUrl });
    await blocked;
    const audio = () =>
      listener.evaluate(() => {
        const element = window.element.shadowRoot.querySelector('[data-user-id="speaker"] audio');
        return element && { paused: element.paused, live: element.srcObject.getAudioTracks()[0].readyState === 'live' };
      });
    assert.deepEqual(await audio(), { paused: true, live: true }, 'the browser refused to play it');
    await listener.evaluate(() =>
      document.getElementById('play').addEventListener('click', () => window.element.resumeAudio()),
    );
    await listener.click('#play');
    await listener.waitForFunction(
      () => !window.element.shadowRoot.querySelector('[data-user-id="speaker"] audio').paused,
      null,
      { timeout: 10_000 },
    );
    assert.deepEqual(problems, []);
  },
);
