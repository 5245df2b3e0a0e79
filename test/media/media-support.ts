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

/**
 * What a browser does before a user gesture (Chromium's `--autoplay-policy=document-user-activation-required`):
 * audible media does not play, neither from play() (NotAllowedError) nor by its `autoplay` attribute, which is
 * kept off while stubbed (the SDKs call play() as well); muted media plays. Returns a function that restores it.
 */
export function refuseAudibleAutoplay(): () => void {
  const media = HTMLMediaElement.prototype;
  const { play } = media;
  const autoplay = Object.getOwnPropertyDescriptor(media, 'autoplay')!;
  const { setAttribute } = Element.prototype;
  media.play = function (this: HTMLMediaElement) {
    return this.muted
      ? play.call(this)
      : Promise.reject(
          new DOMException(
            "play() failed because the user didn't interact with the document first.",
            'NotAllowedError',
          ),
        );
  };
  Object.defineProperty(media, 'autoplay', { ...autoplay, set() {} });
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (!(this instanceof HTMLMediaElement && name === 'autoplay')) setAttribute.call(this, name, value);
  };
  return () => {
    media.play = play;
    Object.defineProperty(media, 'autoplay', autoplay);
    Element.prototype.setAttribute = setAttribute;
  };
}

/** Every media element `act()` plays (HTMLMediaElement.prototype.play watched meanwhile, then restored). */
export async function playedDuring(act: () => Promise<unknown>): Promise<HTMLMediaElement[]> {
  const original = HTMLMediaElement.prototype.play;
  const played: HTMLMediaElement[] = [];
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    played.push(this);
    return original.call(this);
  };
  try {
    await act();
  } finally {
    HTMLMediaElement.prototype.play = original;
  }
  return played;
}
