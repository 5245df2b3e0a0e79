import { expect, waitUntil } from '@open-wc/testing';
import { createTrtcEmulator } from '../../src/testing/index.js';
import { DEVICE_NOT_FOUND, INITIALIZE_FAILED, PLAY_NOT_ALLOWED } from '../../src/emulator/page/media/v4-media.js';
import type { EmulatedRemoteStream } from '../../src/emulator/page/media/v4-media.js';
import { framesAdvance, stubGetUserMedia } from './media-support.js';

const IDENTITY = { sdkAppId: 1400000001, userSig: 'sig' };

describe('emulator media: the v4 double (trtc-js-sdk shape)', () => {
  it('carries a published LocalStream to the other member over real WebRTC: stream-added, then client.subscribe() fires stream-subscribed, a playing <video>', async () => {
    const emulator = createTrtcEmulator();
    const alice = emulator.sdk.createClient({ ...IDENTITY, userId: 'alice', mode: 'rtc' });
    const bob = emulator.sdk.createClient({ ...IDENTITY, userId: 'bob', mode: 'rtc' });
    const seen: string[] = [];
    let subscribed: EmulatedRemoteStream | undefined;
    for (const event of ['stream-added', 'stream-removed', 'mute-audio', 'unmute-audio', 'mute-video', 'unmute-video'])
      bob.on(event, () => seen.push(event));
    bob.on('stream-subscribed', ({ stream }) => (subscribed = stream));
    // As trtc-js-sdk: its autoSubscribe receives the stream but fires no stream-subscribed; subscribe() does.
    let added: EmulatedRemoteStream | undefined;
    bob.on('stream-added', ({ stream }) => (added = stream));
    await alice.join({ roomId: 7 });
    await bob.join({ roomId: 7 });
    const local = emulator.sdk.createStream({ userId: 'alice', audio: true, video: true });
    await local.initialize();
    await alice.publish(local);
    await waitUntil(() => added, 'stream-added', { timeout: 8000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(subscribed, 'no stream-subscribed without client.subscribe()').to.equal(undefined);
    await bob.subscribe(added!);
    await waitUntil(() => subscribed, 'bob subscribed to alice', { timeout: 8000 });
    expect(seen).to.deep.equal(['stream-added', 'unmute-audio', 'unmute-video']);
    const view = document.createElement('div');
    document.body.append(view);
    await subscribed!.play(view);
    const player = view.querySelector(`#player_${subscribed!.getId()}`)!;
    expect(player).to.exist;
    const video = player.querySelector('video')!;
    expect(video.muted).to.equal(true);
    expect(player.querySelector('audio')!.muted).to.equal(false);
    await framesAdvance(video);
    expect(subscribed!.getAudioTrack()!.readyState).to.equal('live');

    await alice.unpublish(local);
    await waitUntil(() => seen.includes('stream-removed'), 'stream-removed');
    expect(view.children).to.have.length(0);
    local.close();
    expect(local.getVideoTrack()!.readyState).to.equal('ended');
    await alice.leave();
    await bob.leave();
    expect(emulator.media.links.size).to.equal(0);
    view.remove();
  });

  it('a track the publisher replaces while a subscriber is still connecting to it reaches the subscriber (as trtc-js-sdk updates its one downlink connection): the subscription is made again while connecting, and kept once connected', async () => {
    const emulator = createTrtcEmulator();
    const alice = emulator.sdk.createClient({ ...IDENTITY, userId: 'alice', mode: 'rtc' });
    const bob = emulator.sdk.createClient({ ...IDENTITY, userId: 'bob', mode: 'rtc' });
    await alice.join({ roomId: 8 });
    await bob.join({ roomId: 8 });
    const local = emulator.sdk.createStream({ userId: 'alice', audio: false, video: true });
    await local.initialize();
    const other = emulator.sdk.createStream({ userId: 'alice', audio: false, video: true });
    await other.initialize();
    const original = local.getVideoTrack()!;
    const replacement = other.getVideoTrack()!;
    // The race on purpose: bob's autoSubscribe starts connecting right after stream-added; alice swaps her
    // camera's track in the next task, long before that connection (real WebRTC, ICE and DTLS) is up.
    let added: EmulatedRemoteStream | undefined;
    bob.on('stream-added', ({ stream }) => {
      added = stream;
      setTimeout(() => void local.replaceTrack(replacement));
    });
    await alice.publish(local);
    await waitUntil(() => added, 'stream-added', { timeout: 8000 });
    await waitUntil(() => local.getVideoTrack() === replacement, 'the track replaced', { timeout: 8000 });
    await waitUntil(() => added!.getVideoTrack()?.readyState === 'live', "bob receives alice's video after the swap", {
      timeout: 8000,
    });
    // And a swap once connected: as trtc-js-sdk's LocalStream.replaceTrack (its UplinkConnection's
    // RTCRtpSender.replaceTrack, no renegotiation), the same downlink carries the new track: bob keeps his
    // subscription and his track, silently, and its frames now come from the new track. The track swapped
    // out is stopped, so frames that keep coming can only be the new track's.
    const received = added!.getVideoTrack()!;
    const [link] = [...emulator.media.links].filter((l) => l.subscriberId === 'bob' && l.kind === 'video');
    const view = document.createElement('video');
    view.muted = true;
    view.srcObject = new MediaStream([received]);
    document.body.append(view);
    await view.play();
    await framesAdvance(view);
    await local.replaceTrack(original);
    replacement.stop();
    const frames = view.getVideoPlaybackQuality().totalVideoFrames;
    await waitUntil(
      () => view.getVideoPlaybackQuality().totalVideoFrames >= frames + 15,
      "bob receives alice's new video on the same subscription after a swap once connected",
      { timeout: 8000 },
    );
    expect(added!.getVideoTrack(), 'the same received track').to.equal(received);
    expect(received.readyState).to.equal('live');
    expect(link?.closed, 'the same link, open').to.equal(false);
    view.remove();
    await alice.leave();
    await bob.leave();
    local.close();
    other.close();
    replacement.stop();
    expect(emulator.media.links.size).to.equal(0);
  });

  it('fails initialize() as v4 does: the DOMException name and INITIALIZE_FAILED, or RtcError DEVICE_NOT_FOUND without a device', async () => {
    const emulator = createTrtcEmulator();
    for (const [name, code, rtcName] of [
      ['NotAllowedError', INITIALIZE_FAILED, 'NotAllowedError'],
      ['NotReadableError', INITIALIZE_FAILED, 'NotReadableError'],
      ['NotFoundError', DEVICE_NOT_FOUND, 'RtcError'],
    ] as const) {
      const restore = stubGetUserMedia(name);
      try {
        const error = await emulator.sdk
          .createStream({ audio: false, video: true })
          .initialize()
          .then(
            () => undefined,
            (e) => e,
          );
        expect(error.getCode()).to.equal(code);
        expect(error.name).to.equal(rtcName);
      } finally {
        restore();
      }
    }
  });

  it('rejects play() with PLAY_NOT_ALLOWED and fires the stream error when autoplay is refused; resume() plays', async () => {
    const emulator = createTrtcEmulator();
    const local = emulator.sdk.createStream({ audio: true, video: false });
    await local.initialize();
    const original = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = () =>
      Promise.reject(
        new DOMException('play() failed because the user did not interact with the document first.', 'NotAllowedError'),
      );
    const errors: unknown[] = [];
    local.on('error', (error) => errors.push(error));
    const view = document.createElement('div');
    try {
      const error = await local.play(view).then(
        () => undefined,
        (e) => e,
      );
      expect(error.getCode()).to.equal(PLAY_NOT_ALLOWED);
      expect(errors).to.deep.equal([error]);
    } finally {
      HTMLMediaElement.prototype.play = original;
    }
    await local.resume();
    local.close();
  });
});

describe('emulator media: the v5 double (trtc-sdk-v5 shape)', () => {
  it('publishes startLocalVideo/startLocalAudio after enterRoom; the other gets REMOTE_*_AVAILABLE, audio plays by itself, startRemoteVideo renders', async () => {
    const emulator = createTrtcEmulator();
    const { EVENT } = emulator.sdkV5;
    const alice = emulator.sdkV5.create();
    const bob = emulator.sdkV5.create();
    const seen: unknown[] = [];
    for (const event of [
      EVENT.REMOTE_AUDIO_AVAILABLE,
      EVENT.REMOTE_VIDEO_AVAILABLE,
      EVENT.REMOTE_AUDIO_UNAVAILABLE,
      EVENT.REMOTE_VIDEO_UNAVAILABLE,
    ]) {
      bob.on(event, (payload) => seen.push([event, payload]));
    }
    const preview = document.createElement('div');
    document.body.append(preview);
    await alice.startLocalVideo({ view: preview });
    await alice.startLocalAudio();
    expect(preview.querySelector('video')!.style.transform).to.equal('scaleX(-1)');
    await alice.enterRoom({ ...IDENTITY, userId: 'alice', roomId: 8, scene: 'rtc' });
    await bob.enterRoom({ ...IDENTITY, userId: 'bob', roomId: 8, scene: 'rtc' });
    await waitUntil(() => seen.length === 2, 'both available');
    expect(seen).to.deep.include.members([
      [EVENT.REMOTE_AUDIO_AVAILABLE, { userId: 'alice' }],
      [EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'alice', streamType: 'main' }],
    ]);
    const view = document.createElement('div');
    document.body.append(view);
    await bob.startRemoteVideo({ userId: 'alice', streamType: 'main', view });
    await framesAdvance(view.querySelector('video')!);
    await waitUntil(
      () =>
        [...emulator.media.links].some(
          (link) => link.kind === 'audio' && link.subscriberId === 'bob' && link.track.readyState === 'live',
        ),
      'audio received',
    );

    await alice.stopLocalVideo();
    await waitUntil(() => seen.length === 3, 'video unavailable');
    expect(seen[2]).to.deep.equal([EVENT.REMOTE_VIDEO_UNAVAILABLE, { userId: 'alice', streamType: 'main' }]);
    expect(view.querySelector('video')).to.equal(null);
    expect(preview.querySelector('video')).to.equal(null);
    alice.destroy();
    bob.destroy();
    expect([...emulator.media.capturedTracks].every((track) => track.readyState === 'ended')).to.equal(true);
    expect(emulator.media.links.size).to.equal(0);
    view.remove();
    preview.remove();
  });

  it('fails startLocalVideo as v5 does: DEVICE_ERROR 5300, extraCode from the DOMException name, originError.name', async () => {
    const emulator = createTrtcEmulator();
    const trtc = emulator.sdkV5.create();
    for (const [name, extraCode] of [
      ['NotAllowedError', 5302],
      ['NotFoundError', 5301],
      ['NotReadableError', 5303],
    ] as const) {
      const restore = stubGetUserMedia(name);
      try {
        const error = await trtc.startLocalVideo().then(
          () => undefined,
          (e) => e,
        );
        expect([error.name, error.code, error.extraCode, error.originError.name]).to.deep.equal([
          'DEVICE_ERROR',
          5300,
          extraCode,
          name,
        ]);
      } finally {
        restore();
      }
    }
    trtc.destroy();
  });
});
