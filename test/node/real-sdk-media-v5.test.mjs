// The call on the unmodified trtc-sdk-v5 5.17.1 through the emulator's media server, in its default single peer
// connection: two Chromium pages (fake camera and microphone), each a <trtc-room camera microphone> given only
// `el.proxy` from GET /proxy, see each other's moving video and receive each other's live audio; camera and
// microphone off reach the peer as peer-media; after leave, RemoveUser, each forced exit and a room switch every
// track the page captured has ended and the peer's page shows no video of it. One emulator, one Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealSdkRig, waitForReport } from './support/real-sdk-page.mjs';

const SDK_APP_ID = 1400000001;

// Runs before the page's own script: records the SDK's peer connections and peer-media events. What it captures
// and shows is read with test/support/media-probe.ts (window.mediaProbe, shared with the conformance tables).
const init = `
/** The tracks captured since the last call() (it empties the list). */
Object.defineProperty(window, 'captured', { get: () => window.mediaProbe.recordCaptures() });
window.liveCaptured = (kind) => window.mediaProbe.liveCaptured().filter((k) => !kind || k === kind).length;
window.peerConnections = [];
const Native = window.RTCPeerConnection;
window.RTCPeerConnection = class extends Native {
  constructor(...args) {
    super(...args);
    window.peerConnections.push(this);
  }
};
window.peerMedia = [];
document.addEventListener('peer-media', (event) => window.peerMedia.push({ ...event.detail }));
window.localMedia = [];
document.addEventListener('local-media', (event) => window.localMedia.push({ ...event.detail }));
/** The screen tracks getDisplayMedia gave (the fake UI picks Chromium's 800×600 fake screen). */
window.screenTracks = [];
const getDisplayMedia = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getDisplayMedia = async (constraints) => {
  const stream = await getDisplayMedia(constraints);
  window.screenTracks.push(...stream.getVideoTracks());
  return stream;
};
window.elementNumbered = (el) => document.querySelector('trtc-room[data-number="' + el + '"]');
window.screenTile = (el, userId) => window.mediaProbe.screenTile(window.elementNumbered(el), userId);
window.screenFramesOf = (el, userId) => window.mediaProbe.screenFramesOf(window.elementNumbered(el), userId);
window.tileOrder = (el) => window.mediaProbe.tileOrder(window.elementNumbered(el));
/** The <video> the SDK plays userId's camera in, inside element number el. */
window.remoteVideo = (el, userId) =>
  window.mediaProbe.remoteTile(document.querySelector('trtc-room[data-number="' + el + '"]'), userId)?.querySelector('video') ?? null;
/** Resolves with the frames presented once userId's video has a picture and two more frames arrived. */
window.moving = (el, userId) => new Promise((resolve) => {
  const look = () => {
    const video = window.remoteVideo(el, userId);
    if (!video || !video.videoWidth) return setTimeout(look, 50);
    // Counted on the frames presented (the callbacks' own count): getVideoPlaybackQuality() lags under load (a full
    // run saw 0 advanced between two callbacks).
    video.requestVideoFrameCallback((_now, first) => video.requestVideoFrameCallback((_later, second) =>
      resolve({ width: video.videoWidth, advanced: second.presentedFrames - first.presentedFrames })));
  };
  look();
});
/** Received audio with sound in it (the fake microphone beeps), over any of the page's peer connections. */
window.liveAudio = async () => {
  for (const pc of window.peerConnections) {
    if (pc.connectionState !== 'connected') continue;
    for (const report of (await pc.getStats()).values())
      if (report.type === 'inbound-rtp' && report.kind === 'audio' && report.packetsReceived > 20 && report.totalAudioEnergy > 0)
        return true;
  }
  return false;
};
`;

test(
  'trtc-sdk-v5 through the emulator: two <trtc-room camera microphone> pages see and hear each other',
  { timeout: 240_000 },
  async (t) => {
    const rig = await startRealSdkRig(t);
    const tabs = [
      await rig.open('tab 0', { init }),
      await rig.open('tab 1', { init }),
      await rig.open('tab 2', { init }),
    ];
    let nextRoom = 500;
    const devices = { camera: true, microphone: true };
    /** A <trtc-room> on trtc-sdk-v5 in tab `tab`, resolved once joined. */
    async function enter(tab, userId, roomId, props = devices) {
      const page = tabs[tab];
      const el = await page.evaluate((options) => window.enterRoom(options), { sdk: 'v5', userId, roomId, props });
      await waitForReport(page, { el, type: 'joined' });
      return { page, el, userId };
    }
    const moving = (viewer, userId) =>
      viewer.page
        .waitForFunction(({ el, userId }) => window.moving(el, userId), { el: viewer.el, userId }, { timeout: 30_000 })
        .then((handle) => handle.jsonValue());
    /** Two users in a fresh room, each seeing the other move. */
    async function call() {
      // What an earlier scenario left (had it failed half-way) does not count in this one.
      for (const page of tabs)
        await page.evaluate(() => {
          for (const el of document.querySelectorAll('trtc-room')) el.remove();
          window.captured.length = 0;
          window.peerMedia = [];
          window.localMedia = [];
        });
      const roomId = nextRoom++;
      const alice = await enter(0, 'alice', roomId);
      const bob = await enter(1, 'bob', roomId);
      const [aliceSees, bobSees] = await Promise.all([moving(alice, 'bob'), moving(bob, 'alice')]);
      assert.ok(aliceSees.width > 0 && aliceSees.advanced > 0, `alice sees bob move: ${JSON.stringify(aliceSees)}`);
      assert.ok(bobSees.width > 0 && bobSees.advanced > 0, `bob sees alice move: ${JSON.stringify(bobSees)}`);
      return { roomId, alice, bob };
    }
    const liveCaptured = ({ page }, kind) => page.evaluate((kind) => window.liveCaptured(kind), kind);
    const capturedEnded = (entered) =>
      entered.page.waitForFunction(() => window.captured.length > 0 && window.liveCaptured() === 0, null, {
        timeout: 10_000,
      });
    const noVideoOf = (viewer, userId) =>
      viewer.page.waitForFunction(
        ({ el, userId }) => !window.remoteVideo(el, userId),
        { el: viewer.el, userId },
        {
          timeout: 10_000,
        },
      );
    const peerMedia = (viewer, match) =>
      viewer.page.waitForFunction(
        (match) => window.peerMedia.some((m) => Object.entries(match).every(([k, v]) => m[k] === v)),
        match,
        { timeout: 15_000 },
      );
    const remove = (...entered) =>
      Promise.all(entered.map(({ page, el }) => page.evaluate((el) => window.removeElement(el), el)));
    const errors = async ({ page, el }) =>
      (await page.evaluate(() => window.reports)).filter((r) => r.el === el && r.type === 'error');
    t.after(() => {
      // Each test starts with no captured tracks left from the one before.
    });

    await t.test(
      'each sees the other move and hears live audio, on one peer connection (no move to separate ones)',
      async (st) => {
        const { alice, bob } = await call();
        for (const entered of [alice, bob]) {
          await entered.page.waitForFunction(() => window.liveAudio(), null, { timeout: 15_000, polling: 250 });
          assert.deepEqual(await errors(entered), []);
          // The single peer connection is served: the SDK stays on it, with no signalling reconnection.
          const states = await entered.page.evaluate((el) => window.connectionStates[el], entered.el);
          assert.deepEqual(states, ['CONNECTING', 'CONNECTED'], `${entered.userId}'s connection states`);
          // (The SDK makes more peer connections to probe codecs; one carries the call.)
          assert.equal(
            await entered.page.evaluate(
              () => window.peerConnections.filter((pc) => pc.connectionState === 'connected').length,
            ),
            1,
          );
        }
        assert.ok(!rig.lines.some((line) => /reconnected/.test(line)), 'no member moved to a fresh socket');

        await st.test(
          'a camera switch in the call (cameraId, the SDK’s updateLocalVideo): the microphone’s track stays live, the peer keeps seeing video, local-media is unchanged',
          async () => {
            const before = await alice.page.evaluate((el) => {
              const element = document.querySelector(`trtc-room[data-number="${el}"]`);
              window.secondCamera.present = true;
              window.localMedia = [];
              window.beforeSwitch = [...window.captured];
              element.cameraId = 'second-camera';
              return window.captured.filter((t) => t.readyState === 'live').map((t) => t.kind);
            }, alice.el);
            assert.deepEqual(before.sort(), ['audio', 'video']);
            await alice.page.waitForFunction(
              () =>
                window.secondCamera.asked > 0 &&
                window.captured.some(
                  (t) => t.kind === 'video' && t.readyState === 'live' && !window.beforeSwitch.includes(t),
                ) &&
                window.beforeSwitch.every((t) => t.kind !== 'video' || t.readyState === 'ended'),
              null,
              { timeout: 20_000 },
            );
            assert.ok(
              await alice.page.evaluate(() =>
                window.beforeSwitch.filter((t) => t.kind === 'audio').every((t) => t.readyState === 'live'),
              ),
              "alice's microphone track is the same, still live",
            );
            const seen = await moving(bob, 'alice');
            assert.ok(seen.advanced > 0, `bob still sees alice move: ${JSON.stringify(seen)}`);
            assert.deepEqual(await alice.page.evaluate(() => window.localMedia), [], 'no local-media');
            assert.deepEqual(await errors(alice), []);
            assert.deepEqual(
              await bob.page.evaluate(() => window.peerMedia.filter((m) => m.userId === 'alice' && !m.video)),
              [],
              'bob never heard that alice’s video went',
            );
          },
        );
        await st.test(
          'screen: the peer gets a tile screen (first) with frames advancing and peer-media screen:true, the sub stream on the one peer connection; off removes it, the camera goes on; the browser’s own Stop sharing sets screen back to false with local-media',
          async () => {
            const setScreen = (on) =>
              bob.page.evaluate(({ el, on }) => (window.elementNumbered(el).screen = on), { el: bob.el, on });
            const screenTile = (shown) =>
              alice.page.waitForFunction(
                ({ el, shown }) => !!window.screenTile(el, 'bob')?.querySelector('video') === shown,
                { el: alice.el, shown },
                { timeout: 25_000 },
              );
            const localMedia = (screen) =>
              bob.page.waitForFunction((screen) => window.localMedia.some((m) => m.screen === screen), screen, {
                timeout: 10_000,
              });
            await setScreen(true);
            try {
              await screenTile(true);
              const seen = await alice.page
                .waitForFunction(({ el }) => window.screenFramesOf(el, 'bob'), { el: alice.el }, { timeout: 25_000 })
                .then((handle) => handle.jsonValue());
              assert.ok(seen.width > 0 && seen.frames >= 2, `bob's screen moves: ${JSON.stringify(seen)}`);
              assert.equal((await alice.page.evaluate((el) => window.tileOrder(el), alice.el))[0], 'tile screen');
              await peerMedia(alice, { userId: 'bob', screen: true });
              await localMedia(true);
              assert.equal(
                await bob.page.evaluate(
                  () => window.peerConnections.filter((pc) => pc.connectionState === 'connected').length,
                ),
                1,
                'the screen goes on the one peer connection',
              );
              await setScreen(false);
              await screenTile(false);
              await peerMedia(alice, { userId: 'bob', screen: false });
              const camera = await moving(alice, 'bob');
              assert.ok(camera.advanced > 0, `alice still sees bob's camera move: ${JSON.stringify(camera)}`);

              // The browser's "Stop sharing" ends the track (its readyState, then its `ended` event).
              await bob.page.evaluate(() => (window.localMedia = []));
              await setScreen(true);
              await screenTile(true);
              await bob.page.evaluate(() => {
                const track = window.screenTracks.at(-1);
                track.stop();
                track.dispatchEvent(new Event('ended'));
              });
              await localMedia(false);
              assert.equal(await bob.page.evaluate((el) => window.elementNumbered(el).screen, bob.el), false);
              await screenTile(false);
            } finally {
              // The next cases start from bob's camera alone, whatever happened here.
              await setScreen(false);
            }
            assert.deepEqual(await errors(bob), []);
          },
        );
        await st.test('camera off reaches the peer as peer-media video:false, and ends the camera track', async () => {
          await alice.page.evaluate(
            (el) => (document.querySelector(`trtc-room[data-number="${el}"]`).camera = false),
            alice.el,
          );
          await peerMedia(bob, { userId: 'alice', video: false, audio: true });
          await noVideoOf(bob, 'alice');
          await alice.page.waitForFunction(() => window.liveCaptured('video') === 0, null, { timeout: 10_000 });
          assert.equal(await liveCaptured(alice, 'audio'), 1, "alice's microphone is not interrupted");
        });
        await st.test('microphone off reaches the peer as peer-media audio:false', async () => {
          await bob.page.evaluate(
            (el) => (document.querySelector(`trtc-room[data-number="${el}"]`).microphone = false),
            bob.el,
          );
          await peerMedia(alice, { userId: 'bob', audio: false, video: true });
          await bob.page.waitForFunction(() => window.liveCaptured('audio') === 0, null, { timeout: 10_000 });
          assert.equal(await liveCaptured(bob, 'video'), 1, "bob's camera is not interrupted");
        });
        await st.test(
          'after leave, every captured track has ended and the peer shows no video of the one who left',
          async () => {
            await remove(bob);
            await capturedEnded(bob);
            await remove(alice);
            await capturedEnded(alice);
          },
        );
      },
    );

    await t.test(
      'after RemoveUser, every track the removed page captured has ended; its peer shows no video of it',
      async () => {
        const { roomId, alice, bob } = await call();
        rig.server.service.removeUsers({ sdkAppId: SDK_APP_ID, roomId, userIds: ['bob'] });
        await waitForReport(bob.page, { el: bob.el, type: 'banned' });
        await capturedEnded(bob);
        await noVideoOf(alice, 'bob');
        await remove(alice, bob);
        await capturedEnded(alice);
      },
    );

    await t.test(
      'after a kick by the same userId elsewhere, the kicked page has no live track; its peer shows no video of it',
      async () => {
        const { roomId, alice, bob } = await call();
        const again = await enter(2, 'bob', roomId, {});
        await waitForReport(bob.page, { el: bob.el, type: 'banned' });
        await capturedEnded(bob);
        await noVideoOf(alice, 'bob');
        await remove(alice, bob, again);
        await capturedEnded(alice);
      },
    );

    await t.test('after DismissRoom, both pages have no live track and show no remote video', async () => {
      const { roomId, alice, bob } = await call();
      rig.server.service.dismissRoom({ sdkAppId: SDK_APP_ID, roomId });
      for (const [entered, other] of [
        [alice, 'bob'],
        [bob, 'alice'],
      ]) {
        await waitForReport(entered.page, { el: entered.el, type: 'banned' });
        await capturedEnded(entered);
        await noVideoOf(entered, other);
      }
      await remove(alice, bob);
    });

    await t.test(
      'after a room switch, the tracks captured before it have ended and the old peer is not shown',
      async () => {
        const { alice, bob } = await call();
        const before = await alice.page.evaluate(() => window.captured.length);
        await alice.page.evaluate(
          (el) => (document.querySelector(`trtc-room[data-number="${el}"]`).roomId = 999),
          alice.el,
        );
        await waitForReport(alice.page, { el: alice.el, type: 'joined' }, { count: 2 });
        await alice.page.waitForFunction(
          (n) => window.captured.slice(0, n).every((t) => t.readyState === 'ended'),
          before,
          {
            timeout: 10_000,
          },
        );
        await noVideoOf(alice, 'bob');
        await noVideoOf(bob, 'alice');
        await remove(alice, bob);
        await capturedEnded(alice);
        await capturedEnded(bob);
      },
    );

    assert.deepEqual(rig.problems, []);
    assert.deepEqual(rig.aborted, [], 'no request to another host');
  },
);
