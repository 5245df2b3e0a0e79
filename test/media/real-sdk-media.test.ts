import '../support/guard.js';
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { TrtcRoom } from '../../src/index.js';

/** Records every track getUserMedia hands out on this page (the real SDK calls it through its own wrapper). */
function recordCaptures() {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  const tracks: MediaStreamTrack[] = [];
  devices.getUserMedia = async (constraints) => {
    const stream = await original.call(devices, constraints);
    tracks.push(...stream.getTracks());
    return stream;
  };
  return { tracks, restore: () => (devices.getUserMedia = original) };
}

/** Holds every XMLHttpRequest (the SDK's schedule request) until `release()`: the offline join stays pending until then. */
function holdRequests() {
  const original = XMLHttpRequest.prototype.send;
  const held: Array<() => void> = [];
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['send']>) {
    held.push(() => original.apply(this, args));
  };
  return {
    get count() {
      return held.length;
    },
    release() {
      XMLHttpRequest.prototype.send = original;
      for (const send of held.splice(0)) send();
    },
  };
}

describe('<trtc-room> camera with the real trtc-js-sdk (offline machine, fake devices)', () => {
  it('captures through the real createStream and plays the SDK’s own preview; when the join fails the camera is released', async function () {
    this.timeout(30000);
    const captures = recordCaptures();
    try {
      const el = document.createElement('trtc-room') as TrtcRoom;
      for (const [name, value] of Object.entries({
        'sdk-app-id': '1400000001',
        'room-id': '1234',
        'user-id': 'alice',
        'user-sig': 'not-a-real-signature',
        camera: '',
      }))
        el.setAttribute(name, value);
      const errors: CustomEvent[] = [];
      el.addEventListener('error', (event) => errors.push(event as CustomEvent));
      const requests = holdRequests();
      try {
        document.body.append(el);
        // The preview does not wait for the join: the SDK's player plays the fake camera in the local tile.
        const preview = () =>
          el.shadowRoot?.querySelector<HTMLVideoElement>('[part~="local"] div[id^="player_"] video') ?? null;
        await waitUntil(() => preview()?.videoWidth, 'the real SDK’s preview shows the fake camera', {
          timeout: 20000,
        });
        expect(el.state).to.equal('joining');
        expect(preview()!.style.transform, 'mirrored, as v4 plays a local stream').to.equal('scaleX(-1)');
        expect(preview()!.muted).to.equal(true);
        expect(requests.count, 'the schedule request is held').to.be.greaterThan(0);
      } finally {
        requests.release();
      }
      await waitUntil(() => errors.some((e) => e.detail.code === 'join-failed'), 'the offline join fails', {
        timeout: 25000,
      });
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['join-failed']);
      await waitUntil(
        () => captures.tracks.length > 0 && captures.tracks.every((track) => track.readyState === 'ended'),
        'every captured track ended',
        { timeout: 10000 },
      );
      expect(captures.tracks.map((track) => track.kind)).to.deep.equal(['video']);
      expect(el.shadowRoot!.querySelectorAll('video').length).to.equal(0);
      el.remove();
    } finally {
      captures.restore();
    }
  });
});
