import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { TrtcRoom } from '../../src/index.js';
import { createTrtcEmulator, type TrtcEmulator } from '../../src/testing/index.js';
import { SECOND_CAMERA, stubSecondCamera } from '../support/media-probe.js';
import { framesAdvance, playedDuring, refuseAudibleAutoplay, stubGetUserMedia } from './media-support.js';

type Generation = { name: 'v4' | 'v5'; sdk: (emulator: Pick<TrtcEmulator, 'sdk' | 'sdkV5'>) => unknown };
const GENERATIONS: Generation[] = [
  { name: 'v4', sdk: (emulator) => emulator.sdk },
  { name: 'v5', sdk: (emulator) => emulator.sdkV5 },
];

const TIMEOUT = { timeout: 8000 };

/** Puts a `<trtc-room>` for `userId` in room 42 of the emulator and waits until it is joined. */
async function join(
  emulator: Pick<TrtcEmulator, 'sdk' | 'sdkV5'>,
  gen: Generation,
  userId: string,
  attributes: Record<string, string> = { camera: '', microphone: '' },
) {
  const el = document.createElement('trtc-room');
  el.sdk = gen.sdk(emulator) as TrtcRoom['sdk'];
  for (const [name, value] of Object.entries({
    'sdk-app-id': '1400000001',
    'room-id': '42',
    'user-id': userId,
    'user-sig': 'sig',
    ...attributes,
  }))
    el.setAttribute(name, value);
  const events: Array<{ type: string; detail: any }> = [];
  for (const type of [
    'local-media',
    'peer-media',
    'autoplay-blocked',
    'error',
    'banned',
    'left',
    'device-fallback',
    'devices-change',
  ])
    el.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
  document.body.append(el);
  await waitUntil(() => el.state === 'joined', `${userId} joined`, TIMEOUT);
  return { el, events };
}

const tile = (el: TrtcRoom, userId: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="tile"]:not([part~="screen"])[data-user-id="${userId}"]`);
const tileVideo = (el: TrtcRoom, userId: string) => tile(el, userId)?.querySelector('video') ?? null;
const videoTrackOf = (video: HTMLVideoElement) => (video.srcObject as MediaStream).getVideoTracks()[0];
/** The live tracks of `kind` the doubles captured. */
const live = (emulator: TrtcEmulator, kind: string) =>
  [...emulator.media.capturedTracks].filter((t) => t.kind === kind && t.readyState === 'live');

/** Every track the emulator's SDK doubles captured has ended, and no media element is left in the element or the page. */
function expectNothingLeft(emulator: TrtcEmulator, ...elements: TrtcRoom[]) {
  const live = [...emulator.media.capturedTracks].filter((track) => track.readyState !== 'ended');
  expect(
    live.map((track) => track.kind),
    'captured tracks still live',
  ).to.deep.equal([]);
  for (const el of elements)
    expect(el.shadowRoot!.querySelectorAll('video, audio').length, 'media elements left in the shadow root').to.equal(
      0,
    );
  expect(document.querySelectorAll('video, audio').length, 'media elements left in the page').to.equal(0);
}

afterEach(() => {
  for (const el of document.querySelectorAll('trtc-room')) el.remove();
});

for (const gen of GENERATIONS) {
  describe(`<trtc-room> camera and microphone (${gen.name}, in-memory emulator, real WebRTC)`, () => {
    it('two elements with camera and microphone see each other move and receive each other’s live audio', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      const bob = await join(emulator, gen, 'bob');
      await waitUntil(
        () => tileVideo(alice.el, 'bob') && tileVideo(bob.el, 'alice'),
        'each shows the other’s video',
        TIMEOUT,
      );
      await framesAdvance(tileVideo(alice.el, 'bob')!);
      await framesAdvance(tileVideo(bob.el, 'alice')!);
      for (const [subscriber, publisher] of [
        ['alice', 'bob'],
        ['bob', 'alice'],
      ]) {
        await waitUntil(
          () =>
            [...emulator.media.links].some(
              (link) =>
                link.kind === 'audio' &&
                link.subscriberId === subscriber &&
                link.publisherId === publisher &&
                link.track.readyState === 'live',
            ),
          `${subscriber} receives ${publisher}'s audio`,
          TIMEOUT,
        );
      }
      expect(alice.events.filter((e) => e.type === 'local-media').at(-1)!.detail).to.deep.equal({
        camera: true,
        microphone: true,
        screen: false,
      });
      await waitUntil(
        () =>
          alice.events.some(
            (e) => e.type === 'peer-media' && e.detail.userId === 'bob' && e.detail.audio && e.detail.video,
          ),
        'peer-media for bob',
      );
      expect(alice.events.filter((e) => e.type === 'error')).to.deep.equal([]);
    });

    it('turning the camera off ends its track, removes its video from the other’s tile and keeps the tile', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      const bob = await join(emulator, gen, 'bob');
      await waitUntil(() => tileVideo(alice.el, 'bob') && tileVideo(bob.el, 'bob'), 'bob’s video everywhere', TIMEOUT);
      const bobCamera = videoTrackOf(tileVideo(bob.el, 'bob')!);
      expect(bobCamera.readyState).to.equal('live');
      bob.el.camera = false;
      await waitUntil(() => !tileVideo(alice.el, 'bob'), 'bob’s video left alice’s tile', TIMEOUT);
      await waitUntil(() => bobCamera.readyState === 'ended', 'bob’s camera track ended', TIMEOUT);
      expect(tileVideo(bob.el, 'bob')).to.equal(null);
      expect(tile(alice.el, 'bob'), 'the tile stays, with the userId').to.exist;
      expect(tile(alice.el, 'bob')!.dataset.video).to.equal('false');
      await waitUntil(
        () =>
          bob.events.some((e) => e.type === 'local-media' && e.detail.camera === false && e.detail.microphone === true),
        'local-media without camera',
      );
      await waitUntil(
        () =>
          alice.events.some(
            (e) => e.type === 'peer-media' && e.detail.userId === 'bob' && !e.detail.video && e.detail.audio,
          ),
        'peer-media without video',
        TIMEOUT,
      );
      bob.el.camera = true;
      await waitUntil(() => tileVideo(alice.el, 'bob'), 'bob’s video is back', TIMEOUT);
      await framesAdvance(tileVideo(alice.el, 'bob')!);
    });

    for (const [what, act] of [
      ['a leave()', async (_emulator: TrtcEmulator, el: TrtcRoom) => el.leave()],
      ['removal from the document', async (_emulator: TrtcEmulator, el: TrtcRoom) => el.remove()],
      [
        'a ban by RemoveUser (banned)',
        async (emulator: TrtcEmulator) =>
          emulator.admin.removeUsers({ sdkAppId: 1400000001, roomId: 42, userIds: ['alice'] }),
      ],
      [
        'a ban by DismissRoom (room-disband)',
        async (emulator: TrtcEmulator) => emulator.admin.dismissRoom({ sdkAppId: 1400000001, roomId: 42 }),
      ],
      // Another page: within one page trtc-js-sdk refuses the second join (its page-wide guard) instead.
      [
        'a ban by the same userId joining elsewhere (kick)',
        async (emulator: TrtcEmulator) => void (await join(emulator.newPage(), gen, 'alice', {})),
      ],
      [
        'an SDK error',
        async (emulator: TrtcEmulator) => (emulator.liveClients[0] as unknown as { failWith(): void }).failWith(),
      ],
      [
        'a room switch without camera and microphone',
        async (_emulator: TrtcEmulator, el: TrtcRoom) =>
          Object.assign(el, { camera: false, microphone: false, roomId: 43 }),
      ],
    ] as const) {
      it(`after ${what}, every captured track has ended and no remote <video> is left`, async () => {
        const emulator = createTrtcEmulator();
        const alice = await join(emulator, gen, 'alice');
        const bob = await join(emulator, gen, 'bob', {});
        await waitUntil(
          () => tileVideo(bob.el, 'alice') && tileVideo(alice.el, 'alice'),
          'alice’s video is shown',
          TIMEOUT,
        );
        await act(emulator, alice.el);
        await waitUntil(
          () => [...emulator.media.capturedTracks].every((track) => track.readyState === 'ended'),
          'every captured track ended',
          TIMEOUT,
        );
        await waitUntil(() => !tileVideo(bob.el, 'alice'), 'alice’s video left bob’s tile', TIMEOUT);
        expect(alice.el.shadowRoot!.querySelectorAll('video, audio').length).to.equal(0);
        expect(
          emulator.media.links.size === 0 ||
            [...emulator.media.links].every((link) => link.publisherId !== 'alice' || link.subscriberId === 'alice'),
        ).to.equal(true);
        if (what.startsWith('a ban')) expect(alice.events.some((e) => e.type === 'banned')).to.equal(true);
        for (const el of document.querySelectorAll('trtc-room')) el.remove();
        await waitUntil(() => emulator.liveClients.length === 0, 'every client destroyed', TIMEOUT);
        expectNothingLeft(emulator, alice.el, bob.el);
        expect(emulator.media.links.size).to.equal(0);
      });
    }

    it('a room switch keeps the camera when it stays wanted: the old track ends, a new one is published', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      await waitUntil(() => tileVideo(alice.el, 'alice'), 'preview', TIMEOUT);
      const first = videoTrackOf(tileVideo(alice.el, 'alice')!);
      alice.el.roomId = 43;
      await waitUntil(() => first.readyState === 'ended', 'the first room’s camera track ended', TIMEOUT);
      await waitUntil(
        () => alice.el.state === 'joined' && tileVideo(alice.el, 'alice'),
        'joined again with a preview',
        TIMEOUT,
      );
      expect(videoTrackOf(tileVideo(alice.el, 'alice')!).readyState).to.equal('live');
      const bob = await join(emulator, gen, 'bob', { 'room-id': '43' });
      await waitUntil(() => tileVideo(bob.el, 'alice'), 'bob sees alice in room 43', TIMEOUT);
    });

    for (const name of ['NotFoundError', 'NotReadableError', 'NotAllowedError']) {
      it(`a capture failing with ${name} reports media-failed (field, name) and stays joined; setting camera again retries`, async () => {
        const emulator = createTrtcEmulator();
        const restore = stubGetUserMedia(name);
        let alice: Awaited<ReturnType<typeof join>> | undefined;
        try {
          alice = await join(emulator, gen, 'alice', { camera: '' });
          await waitUntil(() => alice!.events.some((e) => e.type === 'error'), 'media-failed', TIMEOUT);
        } finally {
          restore();
        }
        const error = alice.events.find((e) => e.type === 'error')!.detail;
        expect(error).to.include({ code: 'media-failed', field: 'camera', name });
        expect(error.message).to.match(/camera/);
        expect(alice.el.state).to.equal('joined');
        expect(alice.el.camera, 'the property stays as set').to.equal(true);
        alice.el.camera = true;
        await waitUntil(() => tileVideo(alice!.el, 'alice'), 'the retry captured the camera', TIMEOUT);
        expect(alice.events.filter((e) => e.type === 'error')).to.have.length(1);
      });
    }

    it('a camera switch in a call (cameraId) keeps the microphone’s track live, the peer keeps seeing video, local-media is unchanged', async () => {
      const emulator = createTrtcEmulator();
      const second = stubSecondCamera();
      try {
        const alice = await join(emulator, gen, 'alice');
        await waitUntil(
          () => live(emulator, 'audio').length + live(emulator, 'video').length === 2,
          'captured',
          TIMEOUT,
        );
        const [microphone] = live(emulator, 'audio');
        const [camera] = live(emulator, 'video');
        const bob = await join(emulator, gen, 'bob');
        await waitUntil(() => tileVideo(bob.el, 'alice'), 'bob sees alice', TIMEOUT);
        const audioLink = () =>
          [...emulator.media.links].find(
            (l) => l.publisherId === 'alice' && l.subscriberId === 'bob' && l.kind === 'audio',
          );
        await waitUntil(
          () => audioLink() && live(emulator, 'video').length === 2,
          'bob receives alice’s audio',
          TIMEOUT,
        );
        const heard = audioLink()!;
        const before = new Set(emulator.media.capturedTracks);
        const eventsBefore = alice.events.length;
        alice.el.cameraId = SECOND_CAMERA;
        const newCamera = () => live(emulator, 'video').find((t) => !before.has(t));
        await waitUntil(() => camera!.readyState === 'ended' && newCamera(), 'the camera switched', TIMEOUT);
        expect(second.asked).to.equal(1);
        expect(microphone!.readyState, 'the microphone’s track is live').to.equal('live');
        expect(heard.closed || heard.track.readyState !== 'live', 'bob still hears the same audio').to.equal(false);
        await waitUntil(() => videoTrackOf(tileVideo(alice.el, 'alice')!) === newCamera(), 'the preview', TIMEOUT);
        await waitUntil(
          () =>
            [...emulator.media.links].some(
              (l) => l.publisherId === 'alice' && l.kind === 'video' && l.track.readyState === 'live',
            ) && tileVideo(bob.el, 'alice'),
          'bob receives the new camera',
          TIMEOUT,
        );
        await framesAdvance(tileVideo(bob.el, 'alice')!);
        const after = alice.events.slice(eventsBefore);
        expect(after.filter((e) => ['local-media', 'error', 'left'].includes(e.type))).to.deep.equal([]);
        expect(
          bob.events.filter((e) => e.type === 'peer-media' && e.detail.userId === 'alice').at(-1)!.detail,
        ).to.include({ audio: true, video: true });
      } finally {
        second.restore();
      }
    });

    it('a chosen camera that is not there (camera-id set before the join) is media-failed OverconstrainedError; the microphone goes on', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice', { camera: '', microphone: '', 'camera-id': 'no-such-camera' });
      await waitUntil(() => alice.events.some((e) => e.type === 'error'), 'media-failed', TIMEOUT);
      expect(alice.events.find((e) => e.type === 'error')!.detail).to.include({
        code: 'media-failed',
        field: 'camera',
        name: 'OverconstrainedError',
      });
      await waitUntil(
        () => alice.events.some((e) => e.type === 'local-media' && e.detail.microphone && !e.detail.camera),
        'the microphone is published',
        TIMEOUT,
      );
      expect(alice.el.state).to.equal('joined');
    });

    it('switching in a call to a camera that is not there is media-failed OverconstrainedError; the camera stays on the one it had', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      await waitUntil(() => live(emulator, 'video').length === 1, 'captured', TIMEOUT);
      alice.el.cameraId = 'no-such-camera';
      await waitUntil(() => alice.events.some((e) => e.type === 'error'), 'media-failed', TIMEOUT);
      expect(alice.events.find((e) => e.type === 'error')!.detail).to.include({
        code: 'media-failed',
        field: 'camera',
        name: 'OverconstrainedError',
      });
      await waitUntil(() => live(emulator, 'video').length === 1, 'the camera recaptured', TIMEOUT);
      expect(videoTrackOf(tileVideo(alice.el, 'alice')!).readyState).to.equal('live');
      expect(alice.el.state).to.equal('joined');
      expect(alice.events.filter((e) => e.type === 'local-media').at(-1)!.detail).to.deep.equal({
        camera: true,
        microphone: true,
        screen: false,
      });
    });

    it('the camera in use unplugged (devicechange): the element falls back to the default, fires device-fallback, publishes no ended track, and does not take the camera back when it returns', async () => {
      const emulator = createTrtcEmulator();
      const second = stubSecondCamera();
      try {
        const alice = await join(emulator, gen, 'alice', { camera: '', microphone: '', 'camera-id': SECOND_CAMERA });
        await waitUntil(() => live(emulator, 'video').length === 1, 'captured', TIMEOUT);
        expect(second.asked).to.equal(1);
        await waitUntil(() => alice.el.devices.cameras.length > 0, 'cameras listed', TIMEOUT);
        expect(alice.el.devices.cameras.map((c) => c.deviceId)).to.include(SECOND_CAMERA);
        const [unplugged] = live(emulator, 'video');
        unplugged.stop(); // what the browser does to the track of a device that goes
        second.plug(false);
        await waitUntil(() => alice.events.some((e) => e.type === 'device-fallback'), 'device-fallback', TIMEOUT);
        const defaultCamera = (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput')!;
        expect(alice.events.find((e) => e.type === 'device-fallback')!.detail).to.deep.equal({
          kind: 'camera',
          from: SECOND_CAMERA,
          to: defaultCamera.deviceId,
        });
        expect(alice.events.some((e) => e.type === 'devices-change')).to.equal(true);
        await waitUntil(() => live(emulator, 'video').length === 1, 'a live camera', TIMEOUT);
        expect(videoTrackOf(tileVideo(alice.el, 'alice')!).readyState, 'the preview is live').to.equal('live');
        expect(alice.events.filter((e) => e.type === 'error')).to.deep.equal([]);
        second.plug(true);
        await waitUntil(
          () => alice.el.devices.cameras.some((c) => c.deviceId === SECOND_CAMERA),
          'the camera is listed again',
          TIMEOUT,
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(second.asked, 'the camera that came back was not taken').to.equal(1);
        expect(alice.el.cameraId).to.equal(SECOND_CAMERA);
        alice.el.cameraId = SECOND_CAMERA; // chosen again: taken again
        await waitUntil(() => second.asked === 2, 'chosen again, the camera is taken', TIMEOUT);
      } finally {
        second.restore();
      }
    });

    it('devices lists the browser’s devices once it may name them; capabilities is what this browser can do', async () => {
      const emulator = createTrtcEmulator();
      const el = document.createElement('trtc-room');
      expect(el.capabilities, 'not known before the first join').to.equal(undefined);
      expect(el.devices).to.deep.equal({ cameras: [], microphones: [], speakers: [] });
      el.remove();
      const alice = await join(emulator, gen, 'alice');
      const listed = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.label);
      const ids = (kind: string) => listed.filter((d) => d.kind === kind).map((d) => d.deviceId);
      await waitUntil(() => alice.el.devices.cameras.length > 0, 'the cameras are listed', TIMEOUT);
      expect(alice.el.devices.cameras.map((d) => d.deviceId)).to.deep.equal(ids('videoinput'));
      expect(alice.el.devices.microphones.map((d) => d.deviceId)).to.deep.equal(ids('audioinput'));
      expect(alice.el.devices.speakers.map((d) => d.deviceId)).to.deep.equal(ids('audiooutput'));
      const media = navigator.mediaDevices;
      const known = media.getSupportedConstraints() as Record<string, boolean | undefined>;
      expect(alice.el.capabilities).to.deep.equal({
        speakerSelection: 'setSinkId' in HTMLMediaElement.prototype,
        screenShare: typeof media.getDisplayMedia === 'function',
        screenShareAudio: !!known.suppressLocalAudioPlayback,
      });
      // Chromium on the desktop: every one of them.
      expect(alice.el.capabilities).to.deep.equal({
        speakerSelection: true,
        screenShare: true,
        screenShareAudio: true,
      });
    });

    it('speakerId plays every remote audio on that speaker; an unknown one is media-failed NotFoundError', async () => {
      const emulator = createTrtcEmulator();
      const sinks: string[] = [];
      const proto = HTMLMediaElement.prototype as HTMLMediaElement & { setSinkId(id: string): Promise<void> };
      const setSinkId = proto.setSinkId;
      proto.setSinkId = function (this: HTMLMediaElement, id: string) {
        sinks.push(id);
        return setSinkId.call(this, id);
      };
      try {
        const alice = await join(emulator, gen, 'alice');
        await join(emulator, gen, 'bob');
        await waitUntil(
          () => alice.events.some((e) => e.type === 'peer-media' && e.detail.audio),
          'bob’s audio reaches alice',
          TIMEOUT,
        );
        await waitUntil(() => alice.el.devices.speakers.length > 1, 'speakers listed', TIMEOUT);
        const speaker = alice.el.devices.speakers.find((d) => d.deviceId !== 'default')!.deviceId;
        await waitUntil(
          () =>
            [...emulator.media.links].some((l) => l.kind === 'audio' && l.subscriberId === 'alice') &&
            (gen.name === 'v5' || !!tile(alice.el, 'bob')?.querySelector('audio')),
          'alice plays bob’s audio',
          TIMEOUT,
        );
        alice.el.speakerId = speaker;
        await waitUntil(() => sinks.includes(speaker), 'the remote audio plays on the chosen speaker', TIMEOUT);
        if (gen.name === 'v4') {
          const audio = tile(alice.el, 'bob')!.querySelector('audio') as HTMLMediaElement & { sinkId: string };
          await waitUntil(() => audio.sinkId === speaker, 'bob’s audio element plays on the speaker', TIMEOUT);
        }
        alice.el.speakerId = 'no-such-speaker';
        await waitUntil(() => alice.events.some((e) => e.type === 'error'), 'media-failed', TIMEOUT);
        expect(alice.events.find((e) => e.type === 'error')!.detail).to.include({
          code: 'media-failed',
          field: 'speaker',
          name: 'NotFoundError',
        });
        expect(alice.el.state).to.equal('joined');
      } finally {
        proto.setSinkId = setSinkId;
      }
    });

    it('renders the parts: tiles, the local tile first (mirrored, muted preview), remote tiles in join order with data-user-id, labels; the default slot stays', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice', { camera: '' });
      const bob = await join(emulator, gen, 'bob', { microphone: '' });
      await join(emulator, gen, 'carol', {});
      await waitUntil(() => tile(alice.el, 'bob') && tile(alice.el, 'carol'), 'bob’s and carol’s tiles', TIMEOUT);
      const preview = await waitUntil(() => tileVideo(alice.el, 'alice'), 'alice’s preview', TIMEOUT).then(() =>
        tileVideo(alice.el, 'alice')!,
      );
      expect(preview.muted, 'the preview is muted').to.equal(true);
      expect(preview.style.transform, 'the preview is mirrored').to.equal('scaleX(-1)');
      await waitUntil(
        () => alice.events.some((e) => e.type === 'peer-media' && e.detail.userId === 'bob' && e.detail.audio),
        'bob’s microphone',
        TIMEOUT,
      );
      const root = alice.el.shadowRoot!;
      const tiles = [...root.querySelectorAll('[part~="tile"]')];
      expect(root.querySelector('[part="tiles"]')).to.exist;
      expect(tiles.map((t) => [t.getAttribute('part'), (t as HTMLElement).dataset.userId])).to.deep.equal([
        ['tile local', 'alice'],
        ['tile remote', 'bob'],
        ['tile remote', 'carol'],
      ]);
      expect(tiles.map((t) => t.querySelector('[part="label"]')!.textContent)).to.deep.equal(['alice', 'bob', 'carol']);
      expect(tile(alice.el, 'carol')!.dataset.video, 'carol publishes no video: her tile shows her userId').to.equal(
        'false',
      );
      expect(root.querySelector('slot:not([name])')).to.exist;
      // Removed by the app server: alice hears peer-leave first, then that bob's microphone is gone.
      await emulator.admin.removeUsers({ sdkAppId: 1400000001, roomId: 42, userIds: ['bob'] });
      await waitUntil(() => bob.el.state === 'banned', 'bob is out', TIMEOUT);
      // The unpublish is delivered in a task queued before these.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve));
      expect(tile(alice.el, 'bob'), 'bob’s tile goes when bob leaves, and does not come back').to.equal(null);
    });

    it('layout="none" renders no tiles and still publishes', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice', { camera: '', layout: 'none' });
      await waitUntil(
        () => alice.events.some((e) => e.type === 'local-media' && e.detail.camera),
        'publishing the camera',
        TIMEOUT,
      );
      expect(alice.el.shadowRoot!.querySelector('[part~="tile"], [part="tiles"]')).to.equal(null);
      const bob = await join(emulator, gen, 'bob', {});
      await waitUntil(() => tileVideo(bob.el, 'alice'), 'bob sees alice', TIMEOUT);
    });

    it('client is the SDK’s own client while in a room, and null before and after', async () => {
      const emulator = createTrtcEmulator();
      const el = document.createElement('trtc-room');
      expect(el.client).to.equal(null);
      const alice = await join(emulator, gen, 'alice', {});
      expect(alice.el.client).to.equal(emulator.liveClients[0]);
      await alice.el.leave();
      expect(alice.el.client).to.equal(null);
    });

    it('autoplay-blocked when the browser refuses to play remote audio; resumeAudio() from a gesture plays it', async () => {
      const emulator = createTrtcEmulator();
      // What a browser does without a user gesture: muted media may autoplay, audible media may not (not even by
      // its `autoplay` attribute, which would otherwise play it before resumeAudio()).
      const restore = refuseAudibleAutoplay();
      let alice: Awaited<ReturnType<typeof join>> | undefined;
      try {
        alice = await join(emulator, gen, 'alice', {});
        await join(emulator, gen, 'bob', { microphone: '' });
        await waitUntil(() => alice!.events.some((e) => e.type === 'autoplay-blocked'), 'autoplay-blocked', TIMEOUT);
      } finally {
        restore();
      }
      const played = await playedDuring(() => alice!.el.resumeAudio());
      const audible = played.filter(
        (element) => !element.muted && (element.srcObject as MediaStream | null)?.getAudioTracks().length,
      );
      expect(audible.length).to.be.greaterThan(0);
      expect(audible.every((element) => !element.paused)).to.equal(true);
      expect(alice.events.find((e) => e.type === 'autoplay-blocked')!.detail).to.deep.equal({});
    });

    it('a capture still under way when the element leaves is released when it arrives', async () => {
      const emulator = createTrtcEmulator();
      const devices = navigator.mediaDevices;
      const original = devices.getUserMedia;
      let arrive!: () => void;
      const gate = new Promise<void>((resolve) => (arrive = resolve));
      devices.getUserMedia = async (constraints) => {
        await gate;
        return original.call(devices, constraints);
      };
      try {
        const alice = await join(emulator, gen, 'alice', { camera: '', microphone: '' });
        await alice.el.leave();
        arrive();
        await waitUntil(() => emulator.media.capturedTracks.size > 0, 'the capture arrived', TIMEOUT);
        await waitUntil(
          () => [...emulator.media.capturedTracks].every((track) => track.readyState === 'ended'),
          'and was released',
          TIMEOUT,
        );
        expect(alice.el.shadowRoot!.querySelectorAll('video').length).to.equal(0);
      } finally {
        devices.getUserMedia = original;
      }
    });

    describe('screen share', function () {
      // Two joins, a camera and a screen over real WebRTC: more than the default 10 s on a loaded machine.
      this.timeout(60000);
      // Bounds for a machine under load (the suite's 8 s is for one device).
      const SLOW = { timeout: 20000 };
      const screenTile = (el: TrtcRoom, userId: string) =>
        el.shadowRoot!.querySelector<HTMLElement>(`[part~="screen"][data-user-id="${userId}"]`);
      const screenTracks = (emulator: TrtcEmulator) =>
        [...emulator.media.capturedTracks].filter((track) => track.label.startsWith('screen'));
      const last = (events: Array<{ type: string; detail: any }>, type: string) =>
        events.filter((e) => e.type === type).at(-1)?.detail;

      it('screen on one element gives the other a tile screen (data-user-id, first) with frames advancing; local-media and peer-media say screen; off removes it', async () => {
        const emulator = createTrtcEmulator();
        // alice's camera and screen, bob only watching: as few connections as the rule needs.
        const alice = await join(emulator, gen, 'alice', { camera: '' });
        const bob = await join(emulator, gen, 'bob', {});
        await waitUntil(() => tileVideo(bob.el, 'alice'), 'bob sees alice’s camera', SLOW);
        alice.el.screen = true;
        await waitUntil(() => screenTile(bob.el, 'alice')?.querySelector('video'), 'bob’s screen tile of alice', SLOW);
        const tile = screenTile(bob.el, 'alice')!;
        expect(tile.getAttribute('part')).to.equal('tile screen');
        expect(bob.el.shadowRoot!.querySelector('[part~="tile"]'), 'the screen tile comes first').to.equal(tile);
        await framesAdvance(tile.querySelector('video')!);
        // The camera's tile stays, apart from the screen's.
        expect(tileVideo(bob.el, 'alice'), 'alice’s camera tile').to.not.equal(null);
        expect(tile.querySelector('video')).to.not.equal(tileVideo(bob.el, 'alice'));
        await waitUntil(() => last(alice.events, 'local-media')?.screen === true, 'local-media screen', SLOW);
        expect(last(alice.events, 'local-media')).to.deep.equal({ camera: true, microphone: false, screen: true });
        await waitUntil(
          () => bob.events.some((e) => e.type === 'peer-media' && e.detail.userId === 'alice' && e.detail.screen),
          'peer-media screen',
          SLOW,
        );
        expect(last(bob.events, 'peer-media')).to.deep.equal({
          userId: 'alice',
          audio: false,
          video: true,
          screen: true,
        });
        alice.el.screen = false;
        await waitUntil(() => !screenTile(bob.el, 'alice'), 'the screen tile goes', SLOW);
        await waitUntil(() => last(alice.events, 'local-media')?.screen === false, 'local-media screen off', SLOW);
        expect(screenTracks(emulator).map((track) => track.readyState)).to.deep.equal(['ended']);
        expect(tileVideo(bob.el, 'alice'), 'the camera goes on').to.not.equal(null);
        await waitUntil(() => last(bob.events, 'peer-media')?.screen === false, 'peer-media screen false', SLOW);
      });

      it('the browser’s own “Stop sharing” (the track ends) sets screen back to false and fires local-media', async () => {
        const emulator = createTrtcEmulator();
        const alice = await join(emulator, gen, 'alice', { microphone: '' });
        const bob = await join(emulator, gen, 'bob', {});
        alice.el.screen = true;
        await waitUntil(() => screenTile(bob.el, 'alice'), 'bob’s screen tile of alice', SLOW);
        await waitUntil(() => last(alice.events, 'local-media')?.screen === true, 'local-media screen', SLOW);
        const [track] = screenTracks(emulator);
        // What the browser does when its "Stop sharing" is clicked: the track ends and says so.
        track.stop();
        track.dispatchEvent(new Event('ended'));
        await waitUntil(() => last(alice.events, 'local-media')?.screen === false, 'local-media screen false', SLOW);
        expect(alice.el.screen).to.equal(false);
        expect(last(alice.events, 'local-media')).to.deep.equal({ camera: false, microphone: true, screen: false });
        await waitUntil(() => !screenTile(bob.el, 'alice'), 'the screen tile goes', SLOW);
        expect(alice.el.state).to.equal('joined');
      });

      it('a refused picker is media-failed with field screen and name NotAllowedError; the user stays in the room', async () => {
        const emulator = createTrtcEmulator();
        const alice = await join(emulator, gen, 'alice', { microphone: '' });
        // The browser suite grants the picker (--use-fake-ui-for-media-stream): a refusal is stubbed.
        const devices = navigator.mediaDevices;
        const original = devices.getDisplayMedia;
        devices.getDisplayMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        try {
          alice.el.screen = true;
          await waitUntil(() => alice.events.some((e) => e.type === 'error'), 'media-failed', SLOW);
        } finally {
          devices.getDisplayMedia = original;
        }
        const error = alice.events.find((e) => e.type === 'error')!.detail;
        expect([error.code, error.field, error.name]).to.deep.equal(['media-failed', 'screen', 'NotAllowedError']);
        expect(error.message).to.match(/screen picker was cancelled/);
        expect(alice.el.state).to.equal('joined');
        await waitUntil(() => alice.el.screen === false, 'screen back to false', SLOW);
        expect(alice.events.some((e) => e.type === 'local-media' && e.detail.screen)).to.equal(false);
        // Asked again, the picker opens again.
        alice.el.screen = true;
        await waitUntil(() => last(alice.events, 'local-media')?.screen === true, 'shared on the second try', SLOW);
      });
    });

    it('a live audience ignores camera and microphone: nothing is captured', async () => {
      const emulator = createTrtcEmulator();
      const audience = await join(emulator, gen, 'carol', {
        camera: '',
        microphone: '',
        mode: 'live',
        role: 'audience',
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(emulator.media.capturedTracks.size).to.equal(0);
      expect(audience.events.filter((e) => e.type === 'error' || e.type === 'local-media')).to.deep.equal([]);
      expect(audience.el.shadowRoot!.querySelector('[part~="local"]')).to.equal(null);
    });
  });
}
