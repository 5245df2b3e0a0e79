// The real-SDK media rows of `npm run bench -- --real-sdk on` (scripts/bench.mjs bundles this page with the unmodified
// trtc-js-sdk and trtc-sdk-v5, and the networked emulator serves it from its own origin, its media server carrying
// the call). Every function takes `sdk`: 'v4' (trtc-js-sdk) or 'v5' (trtc-sdk-v5). The element and the same SDK
// calls written by hand, each given only the proxy from the emulator's `GET /proxy`.
import TRTCv4 from 'trtc-js-sdk';
import TRTCv5 from 'trtc-sdk-v5';
import '../src/index.ts';

const SDKS = { v4: TRTCv4, v5: TRTCv5 };
const IDENTITY = { sdkAppId: 1400000001, userSig: 'sig' };
let proxies;
const proxyOf = async (sdk) => (proxies ??= await (await fetch('/proxy')).json())[sdk];
const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
/** `promise`, or a rejection naming `what` after 60 s: a broken run fails instead of hanging the benchmark. */
const within = (promise, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), 60_000)),
  ]);
/** The element's `joined`, or its `error` as a rejection. */
const joinedOrFailed = (el) =>
  within(
    new Promise((resolve, reject) => {
      el.addEventListener('joined', resolve, { once: true });
      el.addEventListener('error', (event) => reject(new Error(`${event.detail.code}: ${event.detail.message}`)), {
        once: true,
      });
    }),
    'the element to join',
  );
/** Resolves with what `find` returns once it returns something, looked for at every animation frame; rejects after 60 s. */
const waitFor = (find, what = String(find)) =>
  new Promise((resolve, reject) => {
    const deadline = performance.now() + 60_000;
    const look = () => {
      const found = find();
      if (found) resolve(found);
      else if (performance.now() > deadline) reject(new Error(`gave up waiting for ${what}`));
      else requestAnimationFrame(look);
    };
    look();
  });
/** The time the video's next frame is presented. */
const nextFrame = (video) =>
  new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now())));

let camera;
/** One camera track, captured once and shared by every publisher, so that no capture is timed. */
async function cameraTrack() {
  camera ??= (await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } })).getVideoTracks()[0];
  return camera;
}

/** A hand-written publisher in the room, ready to publish the shared camera track (a clone of it). */
async function publisher(sdk, roomId) {
  const proxy = await proxyOf(sdk);
  const track = (await cameraTrack()).clone();
  if (sdk === 'v4') {
    const client = TRTCv4.createClient({ mode: 'rtc', ...IDENTITY, userId: 'publisher' });
    client.setProxyServer(proxy);
    await client.join({ roomId });
    const stream = TRTCv4.createStream({ userId: 'publisher', videoSource: track });
    await stream.initialize();
    return {
      publish: () => client.publish(stream),
      leave: async () => {
        await client.leave();
        stream.close();
        client.destroy?.();
      },
    };
  }
  const trtc = TRTCv5.create();
  await trtc.enterRoom({ ...IDENTITY, userId: 'publisher', roomId, scene: 'rtc', proxy });
  return {
    publish: () => trtc.startLocalVideo({ option: { videoTrack: track } }),
    leave: async () => {
      await trtc.exitRoom();
      trtc.destroy();
      track.stop();
    },
  };
}

/** `<trtc-room>` receiving: ms from the publisher's publish call to the first frame of its video in the element's tile. */
window.firstFrameElement = async (sdk, roomId) => {
  const el = document.createElement('trtc-room');
  el.sdk = SDKS[sdk];
  el.proxy = await proxyOf(sdk);
  Object.assign(el, { ...IDENTITY, roomId, userId: 'receiver' });
  const joined = joinedOrFailed(el);
  document.body.append(el);
  await joined;
  const sender = await within(publisher(sdk, roomId), 'the publisher to join');
  await waitFor(() => el.shadowRoot.querySelector('[data-user-id="publisher"]'), 'the publisher tile');
  const start = performance.now();
  await within(sender.publish(), 'the publish');
  const video = await waitFor(() => el.shadowRoot.querySelector('[data-user-id="publisher"] video'), 'a video');
  const end = await within(nextFrame(video), 'a frame');
  el.remove();
  await sender.leave();
  return end - start;
};

/** The same, written by hand: v4 stream-added → subscribe, stream-subscribed → play(view); v5 REMOTE_VIDEO_AVAILABLE → startRemoteVideo. */
window.firstFrameByHand = async (sdk, roomId) => {
  const view = document.body.appendChild(document.createElement('div'));
  view.style.cssText = 'width: 320px; height: 180px';
  const receiver = await within(
    receiverByHand(sdk, 'receiver', roomId, () => view),
    'the receiver to join',
  );
  const sender = await within(publisher(sdk, roomId), 'the publisher to join');
  const start = performance.now();
  await within(sender.publish(), 'the publish');
  const video = await waitFor(() => view.querySelector('video'), 'a video');
  const end = await within(nextFrame(video), 'a frame');
  await receiver.leave();
  view.remove();
  await sender.leave();
  return end - start;
};

/**
 * A hand-written participant: in the room, every remote video played into `viewOf(userId)`; with `publish`, the
 * camera and microphone captured, previewed in `viewOf(self)` and published. Resolves once in the room.
 */
async function receiverByHand(sdk, userId, roomId, viewOf, { publish = false } = {}) {
  const proxy = await proxyOf(sdk);
  if (sdk === 'v4') {
    const client = TRTCv4.createClient({ mode: 'rtc', ...IDENTITY, userId });
    client.setProxyServer(proxy);
    // With autoSubscribe, trtc-js-sdk fires only stream-added; subscribe() makes it fire stream-subscribed.
    client.on('stream-added', ({ stream }) => void client.subscribe(stream).catch(() => undefined));
    client.on('stream-subscribed', ({ stream }) => void stream.play(viewOf(stream.getUserId())).catch(() => undefined));
    let local;
    if (publish) {
      local = TRTCv4.createStream({ userId, audio: true, video: true });
      await local.initialize();
      void local.play(viewOf(userId), { muted: true, mirror: true }).catch(() => undefined);
    }
    await client.join({ roomId });
    if (local) await client.publish(local);
    return {
      leave: async () => {
        await client.leave();
        local?.close();
        client.destroy?.();
      },
    };
  }
  const trtc = TRTCv5.create();
  trtc.on(TRTCv5.EVENT.REMOTE_VIDEO_AVAILABLE, ({ userId: remote, streamType }) => {
    void trtc.startRemoteVideo({ userId: remote, streamType, view: viewOf(remote) }).catch(() => undefined);
  });
  await trtc.enterRoom({ ...IDENTITY, userId, roomId, scene: 'rtc', proxy });
  if (publish) {
    await trtc.startLocalVideo({ view: viewOf(userId) });
    await trtc.startLocalAudio();
  }
  return {
    leave: async () => {
      await trtc.exitRoom();
      trtc.destroy();
    },
  };
}

const USERS = ['ann', 'ben', 'cat'];
let hangUp = async () => undefined;
/** Waits until each of `views(userId)` shows a video of every other user with a picture. */
async function everyoneSeesEveryone(videoOf) {
  for (const userId of USERS)
    for (const other of USERS.filter((id) => id !== userId)) {
      const video = await waitFor(() => videoOf(userId, other), `${userId} sees ${other}`);
      await waitFor(() => video.videoWidth > 0, `${userId} sees ${other}'s picture`);
    }
}

/** Three `<trtc-room camera microphone>` in one room; resolves once each shows the other two with a picture. */
window.startCallElement = async (sdk, roomId) => {
  const proxy = await proxyOf(sdk);
  const elements = USERS.map((userId) => {
    const el = document.createElement('trtc-room');
    el.sdk = SDKS[sdk];
    el.proxy = proxy;
    Object.assign(el, { ...IDENTITY, roomId, userId, camera: true, microphone: true });
    // Three tiles of about 240 px in a row, as the hand-written grid has them: the same pixels to show.
    el.style.cssText = 'display: block; width: 736px';
    document.body.append(el);
    return el;
  });
  await everyoneSeesEveryone((userId, other) =>
    elements[USERS.indexOf(userId)].shadowRoot.querySelector(`[data-user-id="${other}"] video`),
  );
  hangUp = async () => {
    const left = elements.map((el) => once(el, 'left'));
    for (const el of elements) el.remove();
    await Promise.race([Promise.all(left), new Promise((done) => setTimeout(done, 10_000))]);
  };
};

/** The same call written by hand: per user the camera and microphone published and previewed, remote videos played. */
window.startCallByHand = async (sdk, roomId) => {
  const people = [];
  const boxes = new Map();
  for (const userId of USERS) {
    const box = document.body.appendChild(document.createElement('div'));
    box.style.cssText = 'display: grid; grid-template-columns: repeat(3, 240px); gap: 8px';
    const views = new Map();
    const viewOf = (id) => {
      if (!views.has(id))
        views.set(id, box.appendChild(Object.assign(document.createElement('div'), { style: 'aspect-ratio: 16 / 9' })));
      return views.get(id);
    };
    boxes.set(userId, { box, viewOf });
    people.push(await within(receiverByHand(sdk, userId, roomId, viewOf, { publish: true }), `${userId} to join`));
  }
  await everyoneSeesEveryone((userId, other) => boxes.get(userId).viewOf(other).querySelector('video'));
  hangUp = async () => {
    for (const person of people) await person.leave();
    for (const { box } of boxes.values()) box.remove();
  };
};

window.hangUp = () => hangUp();
window.ready = true;
