/**
 * What a page's <trtc-room> elements capture and show, read the same way on the doubles and on the unmodified
 * SDKs: the media rows of the conformance tables (test/support/conformance.ts) and the real-SDK media tests
 * (test/node/real-sdk-media-v4.test.mjs through test/node/support/real-sdk-page.mjs, as `window.mediaProbe`).
 */
import type { TrtcRoom } from '../../src/index.js';

const captured: MediaStreamTrack[] = [];
let recording = false;

/** Every track getUserMedia gave in this page from the first call on (getUserMedia wrapped once). */
export function recordCaptures(): MediaStreamTrack[] {
  if (recording) return captured;
  recording = true;
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    captured.push(...stream.getTracks());
    return stream;
  };
  return captured;
}

/** The kinds of the captured tracks still live (of `tracks`, or of every track captured). */
export const liveCaptured = (tracks: readonly MediaStreamTrack[] = captured): string[] =>
  tracks.filter((track) => track.readyState === 'live').map((track) => track.kind);

/** userId's remote tile in `el`. */
export const remoteTile = (el: TrtcRoom | null, userId: string): Element | null =>
  el?.shadowRoot?.querySelector(`[part~="remote"][data-user-id="${userId}"]`) ?? null;

/** The live video track playing in userId's tile of `el`, if any. */
export const remoteVideoTrack = (el: TrtcRoom | null, userId: string): MediaStreamTrack | null =>
  liveTrack(remoteTile(el, userId)?.querySelector('video'), 'video');

/** Whether userId's tile of `el` shows a picture: a live video track of which a frame has arrived. */
export const remoteVideoShowing = (el: TrtcRoom | null, userId: string): boolean => {
  const video = remoteTile(el, userId)?.querySelector('video');
  return !!video && remoteVideoTrack(el, userId) !== null && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA;
};

/** The live audio track playing in userId's tile of `el`, if any. */
export const remoteAudioTrack = (el: TrtcRoom | null, userId: string): MediaStreamTrack | null =>
  liveTrack(remoteTile(el, userId)?.querySelector('audio'), 'audio');

function liveTrack(media: HTMLMediaElement | null | undefined, kind: 'audio' | 'video'): MediaStreamTrack | null {
  const stream = media?.srcObject;
  if (!(stream instanceof MediaStream)) return null;
  const tracks = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  return tracks.find((track) => track.readyState === 'live') ?? null;
}

/** How many of `el`'s remote tiles still play a live video track. */
export const remoteVideos = (el: TrtcRoom | null): number =>
  [...(el?.shadowRoot?.querySelectorAll('[part~="remote"] video') ?? [])].filter(
    (video) => liveTrack(video as HTMLVideoElement, 'video') !== null,
  ).length;

/** The `part` of each of `el`'s tiles, in the order they show. */
export const tileOrder = (el: TrtcRoom | null): string[] =>
  [...(el?.shadowRoot?.querySelectorAll('[part~="tile"]') ?? [])].map((tile) => tile.getAttribute('part') ?? '');

/** userId's screen-share tile in `el`. */
export const screenTile = (el: TrtcRoom | null, userId: string): Element | null =>
  el?.shadowRoot?.querySelector(`[part="tile screen"][data-user-id="${userId}"]`) ?? null;

/** Resolves with userId's video width and presented frames once it has a picture and two more frames came. */
export const framesOf = (
  el: TrtcRoom | null,
  userId: string,
  tile = remoteTile,
): Promise<{ width: number; frames: number }> =>
  new Promise((resolve) => {
    const look = () => {
      const video = tile(el, userId)?.querySelector('video');
      if (!video || !video.videoWidth) return void setTimeout(look, 50);
      video.requestVideoFrameCallback(() =>
        video.requestVideoFrameCallback((_now, meta) =>
          resolve({ width: video.videoWidth, frames: meta.presentedFrames }),
        ),
      );
    };
    look();
  });

/** As `framesOf`, for userId's screen share. */
export const screenFramesOf = (el: TrtcRoom | null, userId: string): Promise<{ width: number; frames: number }> =>
  framesOf(el, userId, screenTile);

/** Chromium's MediaStreamTrackProcessor (not in TypeScript's DOM library): a video track's frames as a stream. */
declare const MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => {
  readable: ReadableStream<{ close(): void }>;
};

/**
 * Whether userId's remote video in `el` brings `frames` new frames within `ms`, counted on a clone of the track it
 * plays (MediaStreamTrackProcessor: decoded frames as they arrive, whether or not the tab renders): false on a frozen
 * or missing picture, where `framesOf` would wait for ever. The track is looked up afresh (a re-subscription's counts).
 */
export async function framesAdvanceWithin(
  el: TrtcRoom | null,
  userId: string,
  ms: number,
  frames = 3,
): Promise<boolean> {
  const track = remoteVideoTrack(el, userId);
  if (!track) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200)));
    return false;
  }
  const clone = track.clone();
  const reader = new MediaStreamTrackProcessor({ track: clone }).readable.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    for (let seen = 0; seen < frames; seen++) {
      const read = await Promise.race([reader.read(), timeout]);
      if (!read || read.done) return false;
      read.value.close();
    }
    return true;
  } finally {
    clearTimeout(timer);
    void reader.cancel();
    clone.stop();
  }
}

/** The id of the stubbed second camera (`stubSecondCamera`). */
export const SECOND_CAMERA = 'second-camera';

/**
 * Chromium's fake devices have one camera: this lists a second one (`present`) and captures the fake camera when
 * getUserMedia asks for it exactly (as both SDKs do). `asked` counts those captures. Restore with `restore()`.
 */
export function stubSecondCamera() {
  const devices = navigator.mediaDevices;
  const { enumerateDevices, getUserMedia } = devices;
  const stub = {
    present: true,
    asked: 0,
    restore() {
      Object.assign(devices, { enumerateDevices, getUserMedia });
    },
    /** Plugs the second camera in or out, with the browser's `devicechange`. */
    plug(present: boolean) {
      stub.present = present;
      devices.dispatchEvent(new Event('devicechange'));
    },
  };
  devices.enumerateDevices = async () => {
    const list = await enumerateDevices.call(devices);
    if (!stub.present) return list;
    const second = { deviceId: SECOND_CAMERA, groupId: 'second', kind: 'videoinput', label: 'Second camera' };
    return [...list, { ...second, toJSON: () => second } as MediaDeviceInfo];
  };
  devices.getUserMedia = (constraints?: MediaStreamConstraints) => {
    const video = constraints?.video;
    const exact = typeof video === 'object' ? (video.deviceId as { exact?: string } | undefined)?.exact : undefined;
    if (exact !== SECOND_CAMERA) return getUserMedia.call(devices, constraints);
    if (!stub.present) return Promise.reject(new DOMException('Requested device not found', 'OverconstrainedError'));
    stub.asked++;
    return getUserMedia.call(devices, { ...constraints, video: true });
  };
  return stub;
}
