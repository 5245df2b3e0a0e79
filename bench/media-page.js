// The media half of `npm run bench` (scripts/bench.mjs bundles it and drives it in Chromium with fake devices):
// the element and the same SDK calls written by hand, on the in-memory emulator's v4 double with real WebRTC.
import '../src/index.ts';
import { createTrtcEmulator } from '../src/testing/index.ts';

const IDENTITY = { sdkAppId: 1400000001, userSig: 'sig', mode: 'rtc' };
const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
/**
 * Resolves with what `find` returns once it returns something, looked for at every animation frame (in both
 * variants alike); rejects after 30 s, so that a broken run fails instead of hanging the benchmark.
 */
const waitFor = (find) =>
  new Promise((resolve, reject) => {
    const deadline = performance.now() + 30_000;
    const look = () => {
      const found = find();
      if (found) resolve(found);
      else if (performance.now() > deadline) reject(new Error(`gave up waiting for ${find}`));
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
  camera ??= (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0];
  return camera;
}

/** A hand-written v4 publisher, in the room, ready to publish the shared camera track. */
async function publisher(emulator, roomId) {
  const client = emulator.sdk.createClient({ ...IDENTITY, userId: 'publisher' });
  await client.join({ roomId });
  const stream = emulator.sdk.createStream({ userId: 'publisher', videoSource: await cameraTrack() });
  await stream.initialize();
  return {
    publish: () => client.publish(stream),
    leave: async () => {
      await client.leave();
      client.destroy();
    },
  };
}

/** `<trtc-room>` receiving: ms from the publisher's publish() to the first frame of its video in the element's tile. */
window.firstFrameElement = async (roomId) => {
  const emulator = createTrtcEmulator();
  const el = document.createElement('trtc-room');
  el.sdk = emulator.sdk;
  Object.assign(el, { ...IDENTITY, roomId, userId: 'receiver' });
  const joined = once(el, 'joined');
  document.body.append(el);
  await joined;
  const sender = await publisher(emulator, roomId);
  await waitFor(() => el.shadowRoot.querySelector('[data-user-id="publisher"]'));
  const start = performance.now();
  await sender.publish();
  const video = await waitFor(() => el.shadowRoot.querySelector('[data-user-id="publisher"] video'));
  const end = await nextFrame(video);
  el.remove();
  await sender.leave();
  return end - start;
};

/** The same, written by hand: stream-subscribed → play(view). */
window.firstFrameByHand = async (roomId) => {
  const emulator = createTrtcEmulator();
  const client = emulator.sdk.createClient({ ...IDENTITY, userId: 'receiver' });
  const view = document.body.appendChild(document.createElement('div'));
  view.style.cssText = 'width: 320px; height: 180px';
  const onSubscribed = ({ stream }) => void stream.play(view).catch(() => undefined);
  client.on('stream-subscribed', onSubscribed);
  await client.join({ roomId });
  const sender = await publisher(emulator, roomId);
  const start = performance.now();
  await sender.publish();
  const video = await waitFor(() => view.querySelector('video'));
  const end = await nextFrame(video);
  client.off('stream-subscribed', onSubscribed);
  await client.leave();
  client.destroy();
  view.remove();
  await sender.leave();
  return end - start;
};

const USERS = ['ann', 'ben', 'cat'];
let hangUp = async () => undefined;

/** Three `<trtc-room camera microphone>` in one room; resolves once each shows the other two moving. */
window.startCallElement = async () => {
  const emulator = createTrtcEmulator();
  const elements = USERS.map((userId) => {
    const el = document.createElement('trtc-room');
    el.sdk = emulator.sdk;
    Object.assign(el, { ...IDENTITY, roomId: 99, userId, camera: true, microphone: true });
    // Three tiles of about 240 px in a row, as the hand-written grid has them: the same pixels to show.
    el.style.cssText = 'display: block; width: 736px';
    document.body.append(el);
    return el;
  });
  for (const el of elements) {
    for (const other of USERS.filter((userId) => userId !== el.userId)) {
      const video = await waitFor(() => el.shadowRoot.querySelector(`[data-user-id="${other}"] video`));
      await waitFor(() => video.videoWidth > 0);
    }
  }
  hangUp = async () => {
    for (const el of elements) el.remove();
    await waitFor(() => emulator.liveClients.length === 0);
  };
};

/** The same call written by hand: per user a LocalStream (camera and microphone), played and published; remote streams played at stream-subscribed. */
window.startCallByHand = async () => {
  const emulator = createTrtcEmulator();
  const people = [];
  for (const userId of USERS) {
    const client = emulator.sdk.createClient({ ...IDENTITY, userId });
    const box = document.body.appendChild(document.createElement('div'));
    box.style.cssText = 'display: grid; grid-template-columns: repeat(3, 240px); gap: 8px';
    const views = new Map();
    const viewOf = (id) => {
      if (!views.has(id))
        views.set(id, box.appendChild(Object.assign(document.createElement('div'), { style: 'aspect-ratio: 16 / 9' })));
      return views.get(id);
    };
    const onSubscribed = ({ stream }) => void stream.play(viewOf(stream.getUserId())).catch(() => undefined);
    client.on('stream-subscribed', onSubscribed);
    const local = emulator.sdk.createStream({ userId, audio: true, video: true });
    await local.initialize();
    void local.play(viewOf(userId), { muted: true, mirror: true });
    await client.join({ roomId: 99 });
    await client.publish(local);
    people.push({ client, local, box, onSubscribed, viewOf });
  }
  for (const { viewOf } of people) {
    for (const userId of USERS) {
      const video = await waitFor(() => viewOf(userId).querySelector('video'));
      await waitFor(() => video.videoWidth > 0);
    }
  }
  hangUp = async () => {
    for (const { client, local, box, onSubscribed } of people) {
      client.off('stream-subscribed', onSubscribed);
      await client.leave();
      local.close();
      client.destroy();
      box.remove();
    }
  };
};

window.hangUp = () => hangUp();
