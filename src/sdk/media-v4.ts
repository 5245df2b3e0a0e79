import { DEVICE_NOT_FOUND, INVALID_OPERATION, PLAY_NOT_ALLOWED } from './v4-error-codes.js';
import {
  DeviceError,
  remoteMediaReporter,
  sdkCodeOf,
  type ConnectionMedia,
  type LocalDevice,
  type MediaHandlers,
} from './adapter.js';

/** The part of trtc-js-sdk v4's Stream (LocalStream and RemoteStream) the element uses (index.d.ts). */
export interface TrtcV4Stream {
  /** `player-state-changed` gives `{ type: 'audio' | 'video', state, reason }`; `screen-sharing-stopped` nothing. */
  on?(event: string, handler: (payload: any) => void): void;
  off?(event: string, handler: (payload: any) => void): void;
  play(element: HTMLElement, options?: { objectFit?: string; muted?: boolean; mirror?: boolean }): Promise<void>;
  stop(): void;
  resume(): Promise<void>;
  close(): void;
  getUserId(): string;
  getAudioTrack(): MediaStreamTrack | null;
  getVideoTrack(): MediaStreamTrack | null;
}

/** The part of v4's LocalStream the element uses. */
export interface TrtcV4LocalStream extends TrtcV4Stream {
  initialize(): Promise<void>;
  /** On a published stream: sends the track on its own transceiver (no renegotiation; `publish_state_change`). */
  addTrack(track: MediaStreamTrack): Promise<void>;
  /** On a published stream: stops sending the track (the transceiver goes inactive), the other one untouched. */
  removeTrack(track: MediaStreamTrack): Promise<void>;
  /** Sends another track of the same kind in its place. */
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  /**
   * Captures another device of that kind (exactly `deviceId`) into the stream in place of the current track,
   * which it stops first; on failure the SDK recaptures the previous device and rethrows (trtc.esm.js,
   * LocalStream.switchDevice: getUserMedia with `useExact`, then `replaceTrack()`, `recoverCapture()` on error).
   */
  switchDevice(type: 'audio' | 'video', deviceId: string): Promise<void>;
}

/** The part of v4's RemoteStream the element uses. */
export interface TrtcV4RemoteStream extends TrtcV4Stream {
  getType(): string;
  /** The speaker its audio plays on (setSinkId on its audio player, kept for a player made later); since 4.6. */
  setAudioOutput?(deviceId: string): Promise<void>;
}

/** The media half of v4's Client. */
export interface TrtcV4MediaClient {
  /** `isAuxiliary`: the stream goes out as the client's auxiliary (screen) stream, beside its main one (4.15 validates it). */
  publish(stream: TrtcV4LocalStream, options?: { isAuxiliary?: boolean }): Promise<void>;
  unpublish(stream: TrtcV4LocalStream): Promise<void>;
  /** Fires `audio-volume` every `interval` ms (≤ 0: off); since 4.9.0. */
  enableAudioVolumeEvaluation?(interval?: number, enableInBackground?: boolean): void;
  subscribe(stream: TrtcV4RemoteStream, options?: { audio?: boolean; video?: boolean }): Promise<void>;
  on(event: string, handler: (payload: any) => void): void;
  off(event: string, handler: (payload: any) => void): void;
}

/** v4's `TRTC.createStream()`: a StreamConfig with the devices to capture, or tracks already captured. */
export type TrtcV4CreateStream = (config: {
  userId: string;
  audio?: boolean;
  video?: boolean;
  cameraId?: string;
  microphoneId?: string;
  /** Captures a screen (getDisplayMedia); with `audio: false`, `video` unset. */
  screen?: boolean;
  audioSource?: MediaStreamTrack;
  videoSource?: MediaStreamTrack;
}) => TrtcV4LocalStream;

/**
 * v4's device error carries the DOMException's name as its own `name`, except "no such device": RtcError with
 * DEVICE_NOT_FOUND (0x1003). Anything else unnamed is `UnknownError` (a DOMException name too).
 */
export function v4DeviceName(error: unknown): string {
  const code = sdkCodeOf(error);
  if (code === DEVICE_NOT_FOUND) return 'NotFoundError';
  // INVALID_OPERATION: capture refused on a page that is not a secure context (http: other than localhost).
  if (code === INVALID_OPERATION) return 'NotSupportedError';
  const name = (error as { name?: unknown })?.name;
  return typeof name === 'string' && /^[A-Z]\w*Error$/.test(name) && name !== 'RtcError' ? name : 'UnknownError';
}

/**
 * v4 media: each device captured by a LocalStream of its own (so a failure names its device), the camera's
 * played as the muted, mirrored preview; in the room one LocalStream made of those tracks is published (a
 * client publishes one stream). A device that comes or goes later is added to or removed from that stream with
 * the SDK's own `LocalStream.addTrack()` / `removeTrack()` (`replaceTrack()` for another device of the same
 * kind): trtc-js-sdk swaps the track on its transceiver and says so with `publish_state_change`, so the other
 * device's sender and the peers' subscription go on (no {audio:false, video:false} in between, no new peer
 * connection). Not `muteVideo()`/`muteAudio()`: they keep the device captured, and camera off must end its
 * track. The stream is unpublished only when nothing is captured any more. Remote streams are subscribed by
 * the SDK (autoSubscribe), which fires only `stream-added` then; `client.subscribe()` of the added stream makes
 * it fire `stream-subscribed` (trtc-js-sdk's DownlinkConnection.subscribe), where the stream is played.
 * Another camera or microphone in a call: `LocalStream.switchDevice()` on that device's own stream, then
 * `replaceTrack()` on the published one (as for any track of the same kind); the speaker: each remote stream's
 * `setAudioOutput()`, also for streams subscribed later.
 *
 * A screen share is a LocalStream of its own, `createStream({ screen: true })`, published on the same client with
 * `publish(stream, { isAuxiliary: true })` (trtc.esm.js: the publish validator's `isAuxiliary`, UplinkConnection's
 * `localAuxStream_` on the fourth transceiver): others get a RemoteStream of type `auxiliary` under the same
 * userId. The browser's own "Stop sharing" ends the track; the SDK then fires the stream's `screen-sharing-stopped`
 * (LocalStream.listenForScreenSharingStopped) and leaves it published: the call unpublishes it.
 */
export function connectV4Media(
  createStream: TrtcV4CreateStream | undefined,
  client: TrtcV4MediaClient,
  userId: string,
  handlers: MediaHandlers,
): ConnectionMedia {
  const captured: Partial<Record<LocalDevice, TrtcV4LocalStream>> = {};
  let published: TrtcV4LocalStream | undefined;
  /** The screen stream published as the auxiliary stream. */
  let publishedScreen: TrtcV4LocalStream | undefined;
  const remote = new Map<string, TrtcV4RemoteStream>();
  const remoteScreens = new Map<string, TrtcV4RemoteStream>();
  /** The streams whose audio the browser refused, each with its `player-state-changed` listener. */
  const blocked = new Map<TrtcV4Stream, (event: { type?: string; state?: string }) => void>();
  const unblock = (stream: TrtcV4Stream) => {
    const listener = blocked.get(stream);
    if (listener) stream.off?.('player-state-changed', listener);
    return blocked.delete(stream);
  };
  let volumeInterval = 0;
  let speaker = '';
  // v4 measures a stream's volume in its audio player only: the published stream is played, muted, in a view of
  // its own (out of the document) while volumes are watched, so that the local user's volume is not always 0.
  const meterView = document.createElement('div');
  const meterPublished = () => {
    if (published?.getAudioTrack())
      void published.play(meterView, { muted: true, mirror: false }).catch(() => undefined);
  };

  const report = remoteMediaReporter(handlers);
  const play = (stream: TrtcV4Stream, view: HTMLElement, options?: { muted: boolean; mirror: boolean }) =>
    stream.play(view, options).catch((error) => {
      if (sdkCodeOf(error) !== PLAY_NOT_ALLOWED) return;
      if (!blocked.has(stream)) {
        // The audio plays later without resume() only through the SDK's own dialog (its confirm restarts every
        // stream's playback: trtc.esm.js, jc.onConfirm → restartPlayback); the stream then says PLAYING.
        const listener = ({ type, state }: { type?: string; state?: string }) => {
          if (type === 'audio' && state === 'PLAYING' && unblock(stream) && !blocked.size) handlers.onAutoplayResumed();
        };
        blocked.set(stream, listener);
        stream.on?.('player-state-changed', listener);
      }
      handlers.onAutoplayBlocked();
    });
  const isScreen = (stream: TrtcV4RemoteStream) => stream.getType() === 'auxiliary';
  const listeners: Record<string, (payload: any) => void> = {
    'stream-added': ({ stream }: { stream: TrtcV4RemoteStream }) => {
      if (stream.getType() !== 'main' && !isScreen(stream)) return;
      // Fails when the peer unpublished meanwhile (the SDK then fires stream-removed): said, not thrown.
      client
        .subscribe(stream)
        .catch((error) => console.warn(`trtc-room: subscribing to ${stream.getUserId()}'s stream failed:`, error));
    },
    'stream-subscribed': ({ stream }: { stream: TrtcV4RemoteStream }) => {
      const user = stream.getUserId();
      if (isScreen(stream)) {
        remoteScreens.set(user, stream);
        report(user, { screen: true });
        void play(stream, handlers.viewFor(user, true));
        return;
      }
      if (stream.getType() !== 'main') return;
      remote.set(user, stream);
      // Kept by the SDK for the audio player play() makes; a failure was reported when the speaker was chosen.
      if (speaker) stream.setAudioOutput?.(speaker).catch(() => undefined);
      void play(stream, handlers.viewFor(user));
    },
    // The SDK has stopped the stream itself.
    'stream-removed': ({ stream }: { stream: TrtcV4RemoteStream }) => {
      const user = stream.getUserId();
      if (isScreen(stream)) {
        if (remoteScreens.get(user) === stream) remoteScreens.delete(user);
        unblock(stream);
        report(user, { screen: false });
        return;
      }
      if (stream.getType() !== 'main') return;
      if (remote.get(user) === stream) remote.delete(user);
      unblock(stream);
      report(user, { audio: false, video: false });
    },
    'mute-audio': ({ userId: user }) => report(user, { audio: false }),
    'unmute-audio': ({ userId: user }) => report(user, { audio: true }),
    'mute-video': ({ userId: user }) => report(user, { video: false }),
    'unmute-video': ({ userId: user }) => report(user, { video: true }),
  };
  // Listened to only while volumes are watched (`controls`): without them the client hears no more listeners than before.
  const onVolume = ({ result }: { result?: Array<{ userId: string; audioVolume: number }> }) =>
    handlers.onVolumes((result ?? []).map(({ userId: user, audioVolume }) => ({ userId: user, volume: audioVolume })));
  for (const [event, listener] of Object.entries(listeners)) client.on(event, listener);

  const stopStream = (stream: TrtcV4Stream | undefined) => {
    stream?.stop();
    stream?.close();
  };
  const screenStopped = () => handlers.onScreenEnded();

  return {
    async startLocal(device, view, deviceId) {
      if (!createStream)
        throw new DeviceError(device, 'NotSupportedError', new Error('This SDK object has no createStream().'));
      const camera = device === 'camera';
      const stream = createStream(
        device === 'screen'
          ? { userId, audio: false, screen: true }
          : {
              userId,
              audio: !camera,
              video: camera,
              ...(deviceId ? { [camera ? 'cameraId' : 'microphoneId']: deviceId } : {}),
            },
      );
      try {
        await stream.initialize();
      } catch (error) {
        throw new DeviceError(device, v4DeviceName(error), error);
      }
      captured[device] = stream;
      if (device === 'screen') stream.on?.('screen-sharing-stopped', screenStopped);
      // Not awaited: play() settles when the video plays, which may be never for a view out of the document.
      if (view && device === 'camera') void play(stream, view, { muted: true, mirror: true });
    },
    async switchDevice(device, deviceId) {
      try {
        await captured[device]?.switchDevice(device === 'camera' ? 'video' : 'audio', deviceId);
      } catch (error) {
        throw new DeviceError(device, v4DeviceName(error), error);
      }
    },
    track(device) {
      const stream = captured[device];
      return device === 'microphone' ? stream?.getAudioTrack() : stream?.getVideoTrack();
    },
    async setSpeaker(deviceId) {
      speaker = deviceId;
      await Promise.all([...remote.values()].map((stream) => stream.setAudioOutput?.(deviceId) ?? Promise.resolve()));
    },
    async stopLocal(device) {
      const stream = captured[device];
      delete captured[device];
      stream?.off?.('screen-sharing-stopped', screenStopped);
      stopStream(stream);
    },
    async publish() {
      // The screen first, on its own (auxiliary) stream: what happens to the main stream below does not touch it.
      if (publishedScreen && publishedScreen !== captured.screen) {
        const stream = publishedScreen;
        publishedScreen = undefined;
        await client.unpublish(stream);
      }
      if (captured.screen && !publishedScreen) {
        await client.publish(captured.screen, { isAuxiliary: true });
        publishedScreen = captured.screen;
      }
      const audioSource = captured.microphone?.getAudioTrack() ?? undefined;
      const videoSource = captured.camera?.getVideoTrack() ?? undefined;
      if (published && (audioSource || videoSource)) {
        const stream = published;
        for (const [wanted, current] of [
          [audioSource ?? null, stream.getAudioTrack()],
          [videoSource ?? null, stream.getVideoTrack()],
        ] as const) {
          if (wanted === current) continue;
          if (wanted && current) await stream.replaceTrack(wanted);
          else if (current) await stream.removeTrack(current);
          else if (wanted) await stream.addTrack(wanted);
        }
        return;
      }
      const previous = published;
      published = undefined;
      // Not close(): that would stop the tracks, which the captured streams still own.
      previous?.stop();
      if (previous) await client.unpublish(previous);
      if (!createStream || (!audioSource && !videoSource)) return;
      const stream = createStream({
        userId,
        ...(audioSource ? { audioSource } : {}),
        ...(videoSource ? { videoSource } : {}),
      });
      await stream.initialize();
      await client.publish(stream);
      published = stream;
      if (volumeInterval > 0) meterPublished();
    },
    async resume() {
      const streams = [...blocked.keys()];
      for (const stream of streams) unblock(stream);
      await Promise.all(streams.map((stream) => stream.resume()));
    },
    watchVolume(intervalMs) {
      if (intervalMs === volumeInterval || !client.enableAudioVolumeEvaluation) return;
      if (volumeInterval <= 0) client.on('audio-volume', onVolume);
      if (intervalMs <= 0) client.off('audio-volume', onVolume);
      volumeInterval = intervalMs;
      client.enableAudioVolumeEvaluation(intervalMs > 0 ? intervalMs : -1);
      if (intervalMs > 0) meterPublished();
      else published?.stop();
    },
    release() {
      for (const [event, listener] of Object.entries(listeners)) client.off(event, listener);
      if (volumeInterval > 0) {
        client.off('audio-volume', onVolume);
        client.enableAudioVolumeEvaluation?.(-1);
      }
      volumeInterval = 0;
      published?.stop();
      captured.screen?.off?.('screen-sharing-stopped', screenStopped);
      for (const device of ['camera', 'microphone', 'screen'] as const) {
        stopStream(captured[device]);
        delete captured[device];
      }
      published = publishedScreen = undefined;
      for (const stream of [...remote.values(), ...remoteScreens.values()]) stream.stop();
      remote.clear();
      remoteScreens.clear();
      for (const stream of [...blocked.keys()]) unblock(stream);
    },
  };
}
