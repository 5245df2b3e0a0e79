/** Helpers of the media suites: they run in Chromium with fake devices (web-test-runner.config.mjs). */
import '../support/guard.js';
import { waitUntil } from '@open-wc/testing';

/** Resolves once `video` shows a picture (videoWidth > 0) and then two more frames: the video is moving. */
export async function framesAdvance(video: HTMLVideoElement, frames = 2): Promise<void> {
  await waitUntil(() => video.videoWidth > 0, `the video has a picture (${video.id})`, { timeout: 8000 });
  for (let i = 0; i < frames; i++) {
    await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
  }
}

/** Makes getUserMedia reject with a DOMException named `name`; returns a function that restores it. */
export function stubGetUserMedia(name: string, message = `Stubbed ${name}.`): () => void {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  devices.getUserMedia = () => Promise.reject(new DOMException(message, name));
  return () => {
    devices.getUserMedia = original;
  };
}
