// The networked emulator carries media between pages: two Chromium pages (two tabs, fake devices), each with a
// `<trtc-room camera microphone>` on `connectTrtcEmulator`, see each other's moving video and receive each
// other's live audio; the emulator server only passes on publications, offers, answers and ICE candidates.
// With autoplay restricted, a page that only receives gets `autoplay-blocked`, and resumeAudio() from a
// click plays the audio: on the emulated SDK, and on the unmodified trtc-js-sdk and trtc-sdk-v5 through the
// emulator (one autoplay-restricted Chromium for those three).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_DEVICES, LOOPBACK_ONLY, launchChromium } from '../../scripts/chromium.mjs';
import { bundlePageScript, loadTs } from '../../scripts/load-ts.mjs';
import { serveDirectory } from '../../scripts/static-server.mjs';
import { startRealSdkRig } from './support/real-sdk-page.mjs';

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
  for (const type of ['joined', 'error', 'autoplay-blocked', 'network-quality']) el.addEventListener(type, (event) => window.reports.push({ type, ...event.detail }));
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

/** A Chromium that lets no page play sound before a user gesture, shared by the autoplay cases. */
let autoplayRestricted;
function autoplayRestrictedChromium() {
  autoplayRestricted ??= launchChromium([
    LOOPBACK_ONLY,
    ...FAKE_DEVICES,
    '--autoplay-policy=document-user-activation-required',
  ]);
  return autoplayRestricted;
}
after(async () => (await autoplayRestricted)?.close());

async function openPage(browser, url, problems) {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${url}/`);
  await page.waitForFunction(() => typeof window.enterRoom === 'function');
  return page;
}

for (const generation of ['v4', 'v5']) {
  test(
    `two pages on the networked emulator (${generation}) see each other move, receive each other's live audio and rate their network (1, then 4 under the emulator's 40 % loss); a microphone switch keeps the peer's link; leaving ends every track`,
    { timeout: 90_000 },
    async (t) => {
      const url = await servePage(t);
      // The page comes from its own server, as an app's would: the emulator is told to admit that origin (--allow-origin).
      const server = await startEmulatorServer({ port: 0, host: '127.0.0.1', allowedOrigins: [url] });
      t.after(() => server.close());
      const browser = await launchChromium(FAKE_DEVICES);
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
      // The double rates its network every 2 s as the SDK does, from the link the emulator's faults give it.
      const rated = (level) =>
        alice.waitForFunction(
          (level) =>
            window.reports.some((r) => r.type === 'network-quality' && r.uplink === level && r.downlink === level),
          level,
          { timeout: 20_000 },
        );
      await rated(1);
      server.faults.degradeMedia({ userId: 'alice', lossPercent: 40 });
      await rated(4);
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
    const browser = await autoplayRestrictedChromium();
    const problems = [];
    // The listener joins by itself and publishes nothing: a page that does not capture, and has had no gesture.
    const listener = await (await browser.newContext()).newPage();
    t.after(() => listener.context().close());
    listener.on('pageerror', (error) => problems.push(error.message));
    const blocked = listener.waitForEvent('console', {
      predicate: (message) => message.text() === 'autoplay-blocked',
      timeout: 30_000,
    });
    await listener.goto(
      `${url}/?${new URLSearchParams({ url: server.webSocketUrl, generation: 'v4', user: 'listener', devices: '0' })}`,
    );
    const speaker = await openPage(browser, url, problems);
    t.after(() => speaker.context().close());
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

// Runs before the listener's page script: it joins as the page loads (no gesture), with `controls`, so the SDK's
// own autoplay dialog is off and the element shows its unblock button. Records every <audio> the SDK plays.
const listenerInit = (sdk) => `
window.joinOnLoad = ${JSON.stringify({ sdk, userId: 'listener', roomId: 4321, props: { controls: true } })};
window.audioPlayers = new Set();
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  if (this instanceof HTMLAudioElement) window.audioPlayers.add(this);
  return play.call(this);
};
window.audioPlaying = () => [...window.audioPlayers].some((audio) => !audio.paused && !audio.muted && audio.srcObject);
window.blockedEvents = 0;
document.addEventListener('autoplay-blocked', () => window.blockedEvents++ || console.log('autoplay-blocked'));
window.unblockShown = () => !!document.querySelector('trtc-room')?.shadowRoot.querySelector('[part="unblock"]');
`;

// How each SDK resumes, read in its code: trtc-js-sdk only on its dialog's confirm (jc.onConfirm → restartPlayback)
// or the stream's resume(), so with the dialog off the element's button (resumeAudio() → stream.resume()) is the
// way; trtc-sdk-v5 with the dialog off resumes by itself on the next click anywhere (handleAutoPlayFailed's
// capture-phase document listener), and the element's button must then go by itself.
for (const [sdk, click, how] of [
  ['v4', (page) => page.click('trtc-room [part="unblock"]'), "the element's unblock button"],
  ['v5', (page) => page.mouse.click(2, 2), 'the document, outside the element'],
]) {
  test(
    `autoplay restricted, the unmodified ${sdk === 'v4' ? 'trtc-js-sdk' : 'trtc-sdk-v5'}: a listener that joined without a gesture gets autoplay-blocked and the unblock button; a click on ${how} plays the audio and the button goes`,
    { timeout: 150_000 },
    async (t) => {
      const rig = await startRealSdkRig(t, { browser: await autoplayRestrictedChromium() });
      // No script from the test runs in the listener's page until it reports the refusal: Chromium counts one as a
      // user gesture (Playwright evaluates with one), after which the page may play sound.
      const listener = await rig.open('listener', { init: listenerInit(sdk), ready: null });
      const blocked = listener.waitForEvent('console', {
        predicate: (message) => message.text() === 'autoplay-blocked',
        timeout: 90_000,
      });
      const speaker = await rig.open('speaker');
      t.after(() => Promise.all([listener, speaker].map((page) => page.context().close())));
      await speaker.evaluate(
        (sdk) => window.enterRoom({ sdk, userId: 'speaker', roomId: 4321, props: { microphone: true } }),
        sdk,
      );
      await blocked;
      await listener.waitForFunction(() => window.unblockShown(), null, { timeout: 20_000 });
      assert.equal(await listener.evaluate(() => window.audioPlaying()), false, 'the browser refused to play it');
      await click(listener);
      await listener.waitForFunction(() => window.audioPlaying(), null, { timeout: 30_000 });
      await listener.waitForFunction(() => !window.unblockShown(), null, { timeout: 10_000 });
      assert.deepEqual(
        (await listener.evaluate(() => window.reports)).filter((r) => r.type === 'error'),
        [],
      );
      assert.deepEqual(rig.problems, []);
    },
  );
}
