// The element's media contract on the unmodified trtc-js-sdk 4.15.22 through the networked emulator's media
// server, two pages (two tabs: each its own SDK, devices and peer connections), each given only `el.proxy` from
// GET /proxy and `camera microphone`. One Chromium and one emulator for the file; every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealSdkRig } from './support/real-sdk-page.mjs';

const SDK_APP_ID = 1400000001;
const WAIT = { timeout: 25_000 };

/**
 * Page helpers on the page's one element: the media events, and test/support/media-probe.ts (`window.mediaProbe`,
 * shared with the conformance tables' media rows) for the captured tracks and the remote tiles.
 */
function installHelpers() {
  const probe = window.mediaProbe;
  window.captured = probe.recordCaptures();
  window.media = [];
  window.elementOf = () => document.querySelector('trtc-room');
  window.watchMedia = () => {
    const el = window.elementOf();
    for (const type of ['peer-media', 'local-media', 'media-failed', 'error'])
      el.addEventListener(type, (event) => {
        const { userId, audio, video, screen, camera, microphone, device, cause } = event.detail;
        window.media.push({
          type,
          userId,
          audio,
          video,
          screen,
          camera,
          microphone,
          device,
          cause: cause ? String(cause.message ?? cause) : undefined,
        });
      });
  };
  window.remoteVideoTrack = (userId) => probe.remoteVideoTrack(window.elementOf(), userId);
  window.remoteAudioTrack = (userId) => probe.remoteAudioTrack(window.elementOf(), userId);
  window.framesOf = (userId) => probe.framesOf(window.elementOf(), userId);
  window.remoteVideos = () => probe.remoteVideos(window.elementOf());
  window.liveCaptured = () => probe.liveCaptured();
  window.tileOrder = () => probe.tileOrder(window.elementOf());
  window.screenTile = (userId) => probe.screenTile(window.elementOf(), userId);
  window.screenFramesOf = (userId) => probe.screenFramesOf(window.elementOf(), userId);
}

test('<trtc-room> media on the unmodified trtc-js-sdk through the emulator, two pages', async (t) => {
  const started = Date.now();
  const step = (what) => process.env.STEPS && console.log(`${Date.now() - started} ms: ${what}`);
  // Every tab renders as if in front (requestVideoFrameCallback runs only for a rendered video).
  const rig = await startRealSdkRig(t, {
    log: process.env.STEPS === 'log',
    extraArgs: [
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
      '--disable-background-timer-throttling',
    ],
  });
  const pages = {};
  // The three tabs opened at once: a, b for alice and bob, c for a second login as bob.
  [pages.a, pages.b, pages.c] = await Promise.all(['a', 'b', 'c'].map((name) => rig.open(name)));
  let room = 500;
  async function enter(name, userId, roomId, { devices = true } = {}) {
    pages[name] ??= await rig.open(name);
    const page = pages[name];
    await page.evaluate(installHelpers);
    await page.evaluate(({ userId, roomId }) => window.enterRoom({ sdk: 'v4', userId, roomId }), { userId, roomId });
    await page.evaluate((devices) => {
      window.watchMedia();
      Object.assign(window.elementOf(), { camera: devices, microphone: devices });
    }, devices);
    return page;
  }
  /** Leaves page `name`'s element, if any, and waits until it is gone. */
  async function leave(name) {
    await pages[name]?.evaluate(() => document.querySelector('trtc-room')?.remove());
  }
  const seesVideoOf = (page, userId) =>
    page.waitForFunction((userId) => window.remoteVideoTrack(userId) !== null, userId, WAIT);
  // requestVideoFrameCallback runs only in the tab in front.
  const framesOf = async (page, userId) => {
    await page.bringToFront();
    return page.evaluate((userId) => window.framesOf(userId), userId);
  };
  const mediaOf = (page) => page.evaluate(() => window.media);
  const peerMedia = (page, userId) =>
    page.evaluate(
      (userId) =>
        window.media
          .filter((m) => m.type === 'peer-media' && m.userId === userId)
          .map(({ audio, video }) => ({ audio, video })),
      userId,
    );
  const allEnded = (page) =>
    page.waitForFunction(() => window.captured.length > 0 && window.liveCaptured().length === 0, null, WAIT);
  const noRemoteVideo = (page) => page.waitForFunction(() => window.remoteVideos() === 0, null, WAIT);

  await t.test(
    "each page sees the other's moving video and gets its live audio; the local tile shows first",
    async () => {
      const roomId = ++room;
      const alice = await enter('a', 'alice', roomId);
      step('alice entered');
      const bob = await enter('b', 'bob', roomId);
      step('bob entered');
      await seesVideoOf(alice, 'bob');
      await seesVideoOf(bob, 'alice');
      step('both see video');
      for (const [page, other] of [
        [alice, 'bob'],
        [bob, 'alice'],
      ]) {
        const seen = await framesOf(page, other);
        // Forwarded, not transcoded: 640 wide, or a step of the sender's own encoder adapting to a busy CPU
        // (WebRTC scales by 3/4 and 1/2: 480, 320, 240), never another size.
        assert.ok(
          [640, 480, 320, 240].includes(seen.width),
          `${other}'s 640×480 camera arrives as sent (${seen.width})`,
        );
        assert.ok(seen.frames >= 2, `${other}'s frames advance`);
        await page.waitForFunction((userId) => window.remoteAudioTrack(userId) !== null, other, WAIT);
        assert.deepEqual((await page.evaluate(() => window.tileOrder()))[0], 'tile local');
        step(`frames and audio of ${other}`);
      }
      assert.deepEqual(await mediaOf(alice).then((m) => m.filter((e) => e.type === 'media-failed')), []);
    },
  );

  await t.test(
    'camera off: the peer hears peer-media video:false and the video goes, the camera track ends, the audio goes on',
    async () => {
      const bob = pages.b;
      const alice = pages.a;
      const audioBefore = await alice.evaluate(() => window.remoteAudioTrack('bob')?.id);
      assert.ok(audioBefore, "alice receives bob's audio");
      await bob.evaluate(() => (window.elementOf().camera = false));
      await alice.waitForFunction(
        () => window.media.some((m) => m.type === 'peer-media' && m.userId === 'bob' && m.video === false),
        null,
        WAIT,
      );
      await alice.waitForFunction(() => window.remoteVideoTrack('bob') === null, null, WAIT);
      await bob.waitForFunction(
        () => window.captured.filter((track) => track.kind === 'video').every((track) => track.readyState === 'ended'),
        null,
        WAIT,
      );
      assert.deepEqual(await bob.evaluate(() => window.liveCaptured()), ['audio'], "bob's microphone still captures");
      assert.deepEqual(
        (await peerMedia(alice, 'bob')).filter((m) => !m.audio && !m.video),
        [],
        'no {audio:false, video:false} reached the peer: the microphone was not interrupted',
      );
      assert.equal(
        await alice.evaluate(() => window.remoteAudioTrack('bob')?.id),
        audioBefore,
        "the peer's audio track from bob is the same, still live",
      );
    },
  );

  await t.test('camera on again: the peer sees the video again, the audio uninterrupted', async () => {
    const { a: alice, b: bob } = pages;
    const audioBefore = await alice.evaluate(() => window.remoteAudioTrack('bob')?.id);
    await bob.evaluate(() => (window.elementOf().camera = true));
    await seesVideoOf(alice, 'bob');
    assert.ok((await framesOf(alice, 'bob')).frames >= 2);
    assert.deepEqual(
      (await peerMedia(alice, 'bob')).filter((m) => !m.audio && !m.video),
      [],
    );
    assert.equal(await alice.evaluate(() => window.remoteAudioTrack('bob')?.id), audioBefore);
  });

  await t.test(
    'a camera switch in the call (cameraId, the SDK’s LocalStream.switchDevice): the microphone’s track stays live, the peer keeps seeing video, local-media is unchanged',
    async () => {
      const { a: alice, b: bob } = pages;
      const audioBefore = await alice.evaluate(() => window.remoteAudioTrack('bob')?.id);
      const seenBefore = await alice.evaluate(() => window.media.length);
      const mark = await bob.evaluate(() => {
        window.secondCamera.present = true;
        window.beforeSwitch = [...window.captured];
        window.elementOf().cameraId = 'second-camera';
        return window.media.length;
      });
      await bob.waitForFunction(
        () =>
          window.secondCamera.asked > 0 &&
          window.captured.some(
            (track) => track.kind === 'video' && track.readyState === 'live' && !window.beforeSwitch.includes(track),
          ) &&
          window.beforeSwitch.every((track) => track.kind !== 'video' || track.readyState === 'ended'),
        null,
        WAIT,
      );
      assert.ok(
        await bob.evaluate(
          () =>
            window.beforeSwitch.filter((track) => track.kind === 'audio' && track.readyState === 'live').length === 1,
        ),
        "bob's microphone track is the same, still live",
      );
      const seen = await framesOf(alice, 'bob');
      assert.ok(seen.frames >= 2, "alice still sees bob's frames advance");
      assert.ok(await alice.evaluate(() => window.remoteVideoTrack('bob') !== null));
      assert.equal(await alice.evaluate(() => window.remoteAudioTrack('bob')?.id), audioBefore, 'the same audio');
      const after = await bob.evaluate((mark) => window.media.slice(mark), mark);
      assert.deepEqual(
        after.filter((m) => m.type === 'local-media' || m.type === 'error'),
        [],
        'no local-media, no error',
      );
      assert.deepEqual(
        await alice.evaluate(
          (seenBefore) =>
            window.media.slice(seenBefore).filter((m) => m.type === 'peer-media' && m.userId === 'bob' && !m.video),
          seenBefore,
        ),
        [],
        "alice never heard that bob's video went",
      );
    },
  );

  await t.test('microphone off: the peer hears peer-media audio:false; the video goes on', async () => {
    const { a: alice, b: bob } = pages;
    await bob.evaluate(() => (window.elementOf().microphone = false));
    await alice.waitForFunction(
      () =>
        window.media.some(
          (m) => m.type === 'peer-media' && m.userId === 'bob' && m.audio === false && m.video === true,
        ),
      null,
      WAIT,
    );
    await bob.waitForFunction(
      () => window.captured.filter((track) => track.kind === 'audio').every((track) => track.readyState === 'ended'),
      null,
      WAIT,
    );
    assert.deepEqual(
      (await peerMedia(alice, 'bob')).filter((m) => !m.audio && !m.video),
      [],
    );
    assert.ok(await alice.evaluate(() => window.remoteVideoTrack('bob') !== null), "bob's video still plays");
  });

  await t.test(
    'screen: the peer gets a tile screen (first) with frames advancing and peer-media screen:true, the auxiliary stream of the same userId; off removes it, the camera goes on',
    async () => {
      const { a: alice, b: bob } = pages;
      await bob.evaluate(() => (window.elementOf().screen = true));
      try {
        await alice.waitForFunction(() => window.screenTile('bob')?.querySelector('video'), null, WAIT);
        await alice.bringToFront();
        const seen = await alice.evaluate(() => window.screenFramesOf('bob'));
        assert.ok(seen.width > 0 && seen.frames >= 2, `bob's screen moves: ${JSON.stringify(seen)}`);
        assert.equal((await alice.evaluate(() => window.tileOrder()))[0], 'tile screen', 'the screen tile comes first');
        assert.ok(
          (await alice.evaluate(() => window.media)).some(
            (m) => m.type === 'peer-media' && m.userId === 'bob' && m.screen,
          ),
        );
        await bob.waitForFunction(
          () => window.media.some((m) => m.type === 'local-media' && m.screen === true),
          null,
          WAIT,
        );
        await bob.evaluate(() => (window.elementOf().screen = false));
        await alice.waitForFunction(() => !window.screenTile('bob'), null, WAIT);
      } finally {
        // The next cases start from bob's camera alone, whatever happened here.
        await bob.evaluate(() => (window.elementOf().screen = false));
      }
      assert.ok(await alice.evaluate(() => window.remoteVideoTrack('bob') !== null), "bob's camera still plays");
    },
  );

  const exits = [
    ['leave (the element removed)', () => leave('b')],
    ['RemoveUser', (roomId) => rig.server.service.removeUsers({ sdkAppId: SDK_APP_ID, roomId, userIds: ['bob'] })],
    ['DismissRoom', (roomId) => rig.server.service.dismissRoom({ sdkAppId: SDK_APP_ID, roomId })],
    [
      'the same userId joining elsewhere (kick)',
      async (roomId) => {
        const other = pages.c;
        await other.evaluate(({ roomId }) => window.enterRoom({ sdk: 'v4', userId: 'bob', roomId }), { roomId });
      },
    ],
    [
      'a room switch',
      async () => {
        const bob = pages.b;
        await bob.evaluate(() => {
          window.before = [...window.captured];
          window.elementOf().roomId = window.elementOf().roomId + 100000;
        });
        await bob.waitForFunction(() => window.before.every((track) => track.readyState === 'ended'), null, WAIT);
      },
    ],
  ];
  for (const [how, exit] of exits) {
    await t.test(
      `after ${how}: every track the page captured has ended and no remote video remains, on either side`,
      async () => {
        const roomId = ++room;
        await leave('a');
        await leave('b');
        await leave('c');
        const alice = await enter('a', 'alice', roomId);
        const bob = await enter('b', 'bob', roomId);
        await seesVideoOf(alice, 'bob');
        await seesVideoOf(bob, 'alice');
        step(`${how}: both see video`);
        await exit(roomId);
        step(`${how}: exited`);
        if (how === 'a room switch') await bob.waitForFunction(() => window.before.length > 0, null, WAIT);
        else await allEnded(bob);
        step(`${how}: bob's tracks ended`);
        await noRemoteVideo(bob);
        step(`${how}: bob has no remote video`);
        await noRemoteVideo(alice);
        step(`${how}: alice has no remote video`);
      },
    );
  }

  await t.test('the media server holds nothing once everybody has left', async () => {
    for (const name of Object.keys(pages)) await leave(name);
    const deadline = Date.now() + 15_000;
    while (rig.server.media.stats().members > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(rig.server.media.stats(), { members: 0, transports: 0, forwards: 0 });
    assert.deepEqual(rig.problems, []);
    assert.deepEqual(
      rig.aborted.filter((url) => !/\.qq\.com|\.tencent|cloud-rtc/.test(new URL(url).hostname)),
      [],
    );
  });
});
