import {
  DeviceError,
  remoteMediaReporter,
  type ConnectionMedia,
  type LocalDevice,
  type MediaHandlers,
} from './adapter.js';

/** The media half of a trtc-sdk-v5 TRTC instance the element uses (index.d.ts). */
export interface TrtcV5MediaInstance {
  startLocalVideo?(config?: {
    view?: HTMLElement | null;
    publish?: boolean;
    option?: { cameraId?: string };
  }): Promise<void>;
  stopLocalVideo?(): Promise<void>;
  startLocalAudio?(config?: { publish?: boolean; option?: { microphoneId?: string } }): Promise<void>;
  stopLocalAudio?(): Promise<void>;
  /** With `option.cameraId`: the started camera's track switches device (`_localVideoTrack.switchDevice`). */
  updateLocalVideo?(config: { capture?: boolean; option: { cameraId: string } }): Promise<void>;
  /** With `option.microphoneId`: the started microphone's track switches device. */
  updateLocalAudio?(config: { option: { microphoneId: string } }): Promise<void>;
  getVideoTrack?(): MediaStreamTrack | null;
  getAudioTrack?(): MediaStreamTrack | null;
  /** Opens the picker, captures the screen and publishes it (once in the room) as the sub stream. */
  startScreenShare?(config?: { view?: HTMLElement | null; publish?: boolean }): Promise<void>;
  /** Unpublishes and stops the screen share; does nothing when none is started (trtc.esm.js, _stopScreenShare). */
  stopScreenShare?(): Promise<void>;
  // streamType is TRTC.TYPE.STREAM_TYPE_MAIN ('main'), an enum in the SDK's typings.
  startRemoteVideo?(config: { userId: string; streamType: any; view?: HTMLElement | null }): Promise<void>;
  stopRemoteVideo?(config: { userId: string; streamType?: any }): Promise<void>;
  /** Fires AUDIO_VOLUME every `interval` ms (at least 100; ≤ 0: off). */
  enableAudioVolumeEvaluation?(interval?: number, enableInBackground?: boolean): void;
  on(event: string, handler: (...args: any[]) => void): unknown;
  off(event: string, handler: (...args: any[]) => void): unknown;
}

/** `TRTC.EVENT`'s media names, as index.d.ts documents them. */
export const V5_MEDIA_EVENTS = {
  REMOTE_AUDIO_AVAILABLE: 'remote-audio-available',
  REMOTE_AUDIO_UNAVAILABLE: 'remote-audio-unavailable',
  REMOTE_VIDEO_AVAILABLE: 'remote-video-available',
  REMOTE_VIDEO_UNAVAILABLE: 'remote-video-unavailable',
  AUTOPLAY_FAILED: 'autoplay-failed',
  PUBLISH_STATE_CHANGED: 'publish-state-changed',
  SCREEN_SHARE_STOPPED: 'screen-share-stopped',
  AUDIO_PLAY_STATE_CHANGED: 'audio-play-state-changed',
  VIDEO_PLAY_STATE_CHANGED: 'video-play-state-changed',
} as const;
/** `TRTC.EVENT.AUDIO_VOLUME`: listened to only while volumes are watched (`controls`), so kept apart from the above. */
export const V5_AUDIO_VOLUME_EVENT = 'audio-volume';
export type TrtcV5MediaEventNames = { [K in keyof typeof V5_MEDIA_EVENTS]: string };

/** DEVICE_ERROR's extraCode → the DOMException name it came from (RtcError.convertFrom). */
const NAME_OF_EXTRA_CODE: Record<number, string> = {
  5301: 'NotFoundError',
  5302: 'NotAllowedError',
  5303: 'NotReadableError',
  5304: 'OverconstrainedError',
  5305: 'InvalidStateError',
  5306: 'SecurityError',
  5307: 'AbortError',
};

/** v5's RtcError is named after its code (DEVICE_ERROR): the DOMException's name is `originError.name`, or follows from `extraCode`. */
export function v5DeviceName(error: unknown): string {
  const { originError, extraCode } = (error ?? {}) as { originError?: { name?: unknown }; extraCode?: unknown };
  if (
    typeof originError?.name === 'string' &&
    /^[A-Z]\w*Error$/.test(originError.name) &&
    originError.name !== 'RtcError'
  )
    return originError.name;
  if (NAME_OF_EXTRA_CODE[extraCode as number]) return NAME_OF_EXTRA_CODE[extraCode as number];
  // ENV_NOT_SUPPORTED (5200): capture refused on a page that is not a secure context.
  return (error as { code?: unknown })?.code === 5200 ? 'NotSupportedError' : 'UnknownError';
}

/**
 * v5 media: startLocalVideo/startLocalAudio (they publish by themselves once in the room), REMOTE_*_AVAILABLE
 * for what others publish, startRemoteVideo into the user's view (the SDK plays remote audio itself), and
 * AUTOPLAY_FAILED's `resume` kept for `resume()` until that player's AUDIO/VIDEO_PLAY_STATE_CHANGED says PLAYING. Another camera or microphone in a call:
 * `updateLocalVideo/Audio({ option: { cameraId | microphoneId } })`, which switches the started track's device
 * (trtc.esm.js: `_localVideoTrack.switchDevice()`, exact deviceId, the old device recaptured on failure) and
 * keeps it published. The speaker: the static `TRTC.setCurrentSpeaker()`, which sets every instance's remote
 * audio (and acts only for an id in `getSpeakerList()`).
 * A screen share is `startScreenShare({ publish: true })` / `stopScreenShare()`; others hear
 * REMOTE_VIDEO_AVAILABLE with `streamType: 'sub'` and play it with `startRemoteVideo({ streamType: 'sub' })`. The
 * browser's own "Stop sharing" makes the SDK stop and unpublish the share itself, then fire SCREEN_SHARE_STOPPED
 * (trtc.esm.js, the screen track's `ended` listener).
 */
export function connectV5Media(
  trtc: TrtcV5MediaInstance,
  eventName: (key: keyof TrtcV5MediaEventNames | 'AUDIO_VOLUME') => string,
  handlers: MediaHandlers,
  userId: string,
  setCurrentSpeaker?: (speakerId: string) => Promise<void>,
): ConnectionMedia {
  let volumeInterval = 0;
  const started = { camera: false, microphone: false, screen: false };
  const playing = new Set<string>();
  const playingScreens = new Set<string>();
  /** AUTOPLAY_FAILED's `resume` of each player the browser refused, by `userId mediaType`, until it plays. */
  const resumers = new Map<string, () => Promise<void>>();
  /** A refused player plays now (the SDK resumed it by itself on a click): once none is left, nothing is blocked. */
  const played = (key: string) => {
    if (resumers.delete(key) && !resumers.size) handlers.onAutoplayResumed();
  };

  const report = remoteMediaReporter(handlers);
  /**
   * Plays userId's stream in its view. trtc-sdk-v5's startRemoteVideo subscribes first and plays after
   * (trtc.esm.js `startRemoteVideo`: `yield this._room.subscribe(u)`, then `_updateVideoPlayOption`); when the stream
   * goes meanwhile, its own stop (`_onVideoUnavailable` → `_stopRemoteVideo`) finds no player yet and the start then
   * plays a stream that is gone, a frozen video left in the tile. So a start that lands after its stream went
   * (`wanted` no longer has the user) is stopped then.
   */
  const start = (wanted: Set<string>, userId: string, streamType: 'main' | 'sub') => {
    wanted.add(userId);
    trtc.startRemoteVideo?.({ userId, streamType, view: handlers.viewFor(userId, streamType === 'sub') }).then(
      () => {
        if (!wanted.has(userId)) trtc.stopRemoteVideo?.({ userId, streamType }).catch(() => undefined);
      },
      () => wanted.delete(userId),
    );
  };
  /** Stops userId's stream; a stop that fails has nothing left to stop (the stream is already unavailable). */
  const stop = (wanted: Set<string>, userId: string, streamType: 'main' | 'sub') => {
    wanted.delete(userId);
    trtc.stopRemoteVideo?.({ userId, streamType }).catch(() => undefined);
  };
  const listeners: Array<[string, (payload: any) => void]> = [
    [
      eventName('REMOTE_VIDEO_AVAILABLE'),
      ({ userId, streamType }) => {
        if (streamType !== 'main' && streamType !== 'sub') return;
        report(userId, streamType === 'sub' ? { screen: true } : { video: true });
        start(streamType === 'sub' ? playingScreens : playing, userId, streamType);
      },
    ],
    [
      eventName('REMOTE_VIDEO_UNAVAILABLE'),
      ({ userId, streamType }) => {
        if (streamType !== 'main' && streamType !== 'sub') return;
        report(userId, streamType === 'sub' ? { screen: false } : { video: false });
        stop(streamType === 'sub' ? playingScreens : playing, userId, streamType);
      },
    ],
    [eventName('REMOTE_AUDIO_AVAILABLE'), ({ userId }) => report(userId, { audio: true })],
    [eventName('REMOTE_AUDIO_UNAVAILABLE'), ({ userId }) => report(userId, { audio: false })],
    [
      // A refused publish: startLocalVideo()/startLocalAudio() resolved with the preview; the publish ends here
      // (`timeout` is retried by the SDK, `api-call` is our own stop).
      eventName('PUBLISH_STATE_CHANGED'),
      ({ mediaType, state, reason, error }) => {
        if (state === 'stopped' && reason === 'error' && (mediaType === 'video' || mediaType === 'audio'))
          handlers.onPublishFailed(error, mediaType === 'video' ? 'camera' : 'microphone');
      },
    ],
    [
      eventName('SCREEN_SHARE_STOPPED'),
      () => {
        // The SDK has stopped and unpublished it already.
        started.screen = false;
        handlers.onScreenEnded();
      },
    ],
    [
      // `resume` is the refused player's resume() (trtc.esm.js: the remote track's `error` PLAY_NOT_ALLOWED). With
      // the SDK's dialog off, the SDK also resumes it by itself on the next click anywhere in the document
      // (handleAutoPlayFailed's capture-phase `click` listener); with it on, the dialog's confirm does.
      eventName('AUTOPLAY_FAILED'),
      ({ userId, mediaType, resume }) => {
        if (typeof resume === 'function') resumers.set(`${userId} ${mediaType}`, resume);
        handlers.onAutoplayBlocked();
      },
    ],
    // The player's `playing` (the SDK's own resume, or ours) is PLAYING here; mediaType as AUTOPLAY_FAILED says it.
    [eventName('AUDIO_PLAY_STATE_CHANGED'), ({ userId, state }) => state === 'PLAYING' && played(`${userId} audio`)],
    [
      eventName('VIDEO_PLAY_STATE_CHANGED'),
      ({ userId, streamType, state }) =>
        state === 'PLAYING' && played(`${userId} ${streamType === 'sub' ? 'screen' : 'video'}`),
    ],
  ];
  // Listened to only while volumes are watched (`controls`): without them the SDK hears no more listeners than before.
  const onVolume = ({ result }: { result?: Array<{ userId: string; volume: number }> }) =>
    // The SDK names the local microphone '' (index.d.ts, TRTC.EVENT.AUDIO_VOLUME).
    handlers.onVolumes((result ?? []).map(({ userId: user, volume }) => ({ userId: user || userId, volume })));
  for (const [event, listener] of listeners) trtc.on(event, listener);

  const missing = (device: LocalDevice) =>
    new DeviceError(device, 'NotSupportedError', new Error('This SDK object cannot capture.'));

  return {
    async startLocal(device, view, deviceId) {
      const method =
        device === 'camera' ? 'startLocalVideo' : device === 'screen' ? 'startScreenShare' : 'startLocalAudio';
      const start =
        device === 'camera'
          ? () =>
              trtc.startLocalVideo?.({ view, publish: true, ...(deviceId ? { option: { cameraId: deviceId } } : {}) })
          : device === 'screen'
            ? () => trtc.startScreenShare?.({ publish: true })
            : () =>
                trtc.startLocalAudio?.({ publish: true, ...(deviceId ? { option: { microphoneId: deviceId } } : {}) });
      if (!trtc[method]) throw missing(device);
      try {
        await start();
      } catch (error) {
        throw new DeviceError(device, v5DeviceName(error), error);
      }
      started[device] = true;
    },
    async switchDevice(device, deviceId) {
      try {
        // `capture: true`: the started track switches (updateLocalVideo keeps `capture` in its config).
        await (device === 'camera'
          ? trtc.updateLocalVideo?.({ capture: true, option: { cameraId: deviceId } })
          : trtc.updateLocalAudio?.({ option: { microphoneId: deviceId } }));
      } catch (error) {
        throw new DeviceError(device, v5DeviceName(error), error);
      }
    },
    track(device) {
      if (!started[device]) return null;
      return device === 'camera' ? trtc.getVideoTrack?.() : trtc.getAudioTrack?.();
    },
    async setSpeaker(deviceId) {
      await setCurrentSpeaker?.(deviceId);
    },
    async stopLocal(device) {
      if (!started[device]) return;
      started[device] = false;
      await (device === 'camera'
        ? trtc.stopLocalVideo?.()
        : device === 'screen'
          ? trtc.stopScreenShare?.()
          : trtc.stopLocalAudio?.());
    },
    // The SDK publishes what was started with `publish: true` once it is in the room.
    async publish() {},
    async resume() {
      const pending = [...resumers.values()];
      resumers.clear();
      await Promise.all(pending.map((resume) => resume()));
    },
    watchVolume(intervalMs) {
      if (intervalMs === volumeInterval || !trtc.enableAudioVolumeEvaluation) return;
      if (volumeInterval <= 0) trtc.on(eventName('AUDIO_VOLUME'), onVolume);
      if (intervalMs <= 0) trtc.off(eventName('AUDIO_VOLUME'), onVolume);
      volumeInterval = intervalMs;
      trtc.enableAudioVolumeEvaluation(intervalMs > 0 ? intervalMs : -1);
    },
    release() {
      for (const [event, listener] of listeners) trtc.off(event, listener);
      if (volumeInterval > 0) {
        trtc.off(eventName('AUDIO_VOLUME'), onVolume);
        trtc.enableAudioVolumeEvaluation?.(-1);
      }
      volumeInterval = 0;
      // Nothing to report from these stops: the call is over, and each stops its track before its first await
      // (trtc.esm.js), so a rejection after it leaves nothing live; destroy() would stop them too.
      if (started.camera) void trtc.stopLocalVideo?.().catch(() => undefined);
      if (started.microphone) void trtc.stopLocalAudio?.().catch(() => undefined);
      if (started.screen) void trtc.stopScreenShare?.().catch(() => undefined);
      started.camera = started.microphone = started.screen = false;
      if (playing.size || playingScreens.size) void trtc.stopRemoteVideo?.({ userId: '*' }).catch(() => undefined);
      playing.clear();
      playingScreens.clear();
      resumers.clear();
    },
  };
}
