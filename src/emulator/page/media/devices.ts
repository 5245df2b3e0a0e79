/**
 * What both SDK doubles share about devices and playback: capture through the page's own
 * `navigator.mediaDevices.getUserMedia` (fake devices in the tests, or a stub that fails), and the media
 * elements the SDKs create inside the container an app passes. Read from trtc-js-sdk 4.15.22 and
 * trtc-sdk-v5 5.17.1 (docs/media.md, and the research notes it cites).
 */
import type { MediaKind, MediaPlane } from './relay.js';

/** Both SDKs refuse to capture outside a secure context (http: other than localhost), where the page has no mediaDevices. */
export const canCapture = () =>
  typeof navigator !== 'undefined' && !!navigator.mediaDevices && globalThis.isSecureContext !== false;

let lastId = 0;
/** An id like the SDKs' (a UUID where the page can make one: crypto.randomUUID is for secure contexts only). */
export function playerId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `emulated-${++lastId}`;
}

/**
 * The constraint both SDKs give getUserMedia for a chosen device: `{ deviceId: { exact } }` (trtc-js-sdk's
 * `useExact`, trtc-sdk-v5's `useExactDeviceId`), so a device that is gone fails (OverconstrainedError) rather
 * than capturing another; `true` for the default device.
 */
export const deviceConstraint = (deviceId: string | undefined): MediaTrackConstraints | true =>
  deviceId ? { deviceId: { exact: deviceId } } : true;

/** Captures one device's track; rejects with the browser's own DOMException (NotAllowedError, NotFoundError, …). */
export async function captureTrack(relay: MediaPlane, kind: MediaKind, deviceId?: string): Promise<MediaStreamTrack> {
  // A screen: the browser's picker (both SDKs call getDisplayMedia; a refusal is its NotAllowedError).
  const stream = await (kind === 'screen'
    ? navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })
    : navigator.mediaDevices.getUserMedia(
        kind === 'audio' ? { audio: deviceConstraint(deviceId) } : { video: deviceConstraint(deviceId) },
      ));
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  for (const other of stream.getTracks()) if (other !== track) other.stop();
  if (!track) throw new DOMException(`getUserMedia gave no ${kind} track.`, 'NotFoundError');
  relay.capturedTracks.add(track);
  return track;
}

/** Both SDKs resolve a string view with `document.getElementById` (so an id inside a shadow root is not found). */
export function resolveView(view: string | HTMLElement | null | undefined): HTMLElement | null {
  if (typeof view === 'string') return document.getElementById(view);
  return view ?? null;
}

/** The `<video>` both SDKs' VideoPlayer creates: muted, autoplaying, filling its container. */
export function videoElement(
  id: string,
  track: MediaStreamTrack,
  options: { objectFit?: string; mirror?: boolean; background?: boolean },
): HTMLVideoElement {
  const video = document.createElement('video');
  video.id = `video_${id}`;
  video.setAttribute(
    'style',
    `width: 100%; height: 100%; object-fit: ${options.objectFit ?? 'cover'};${options.background ? ' background-color: black;' : ''}${options.mirror ? ' transform: scaleX(-1);' : ''}`,
  );
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute('autoplay', '');
  video.setAttribute('playsinline', '');
  video.muted = true;
  video.srcObject = new MediaStream([track]);
  return video;
}

export function audioElement(track: MediaStreamTrack, muted: boolean, id?: string, sinkId = ''): HTMLAudioElement {
  const audio = document.createElement('audio');
  // The speaker chosen before this player was made (both SDKs keep it for their later players).
  if (sinkId) void setSink(audio, sinkId).catch(() => undefined);
  if (id) audio.id = `audio_${id}`;
  audio.autoplay = true;
  audio.setAttribute('autoplay', '');
  audio.setAttribute('playsinline', '');
  audio.muted = muted;
  audio.srcObject = new MediaStream([track]);
  return audio;
}

/** `element.setSinkId(deviceId)` where the browser has it (both SDKs' players check `'setSinkId' in` the element). */
export async function setSink(element: HTMLMediaElement, deviceId: string): Promise<void> {
  const media = element as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };
  if (media.setSinkId) await media.setSinkId(deviceId);
}

/** Detaches a media element: paused, no source, out of the document. */
export function detach(element: HTMLMediaElement | undefined): void {
  if (!element) return;
  element.pause();
  element.srcObject = null;
  element.remove();
}

/** `element.play()`; resolves with the error when the browser refuses to play without a gesture (NotAllowedError). */
export async function playRefused(element: HTMLMediaElement): Promise<DOMException | undefined> {
  try {
    await element.play();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') return error;
    // Other play errors (an AbortError when the source changes) the SDKs swallow.
  }
  return undefined;
}
