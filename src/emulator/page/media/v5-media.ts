/**
 * trtc-sdk-v5's media API over the emulator's relay, with the SDK's own names, payloads and error shapes
 * (trtc-sdk-v5 5.17.1: index.d.ts and trtc.esm.js). `startLocalVideo({ view })` captures (before or after
 * `enterRoom`) and appends a mirrored, muted `<video id="video_…">` to the view; `startLocalAudio()` renders
 * nothing; both publish once in the room unless `publish: false`. A device failure is RtcError DEVICE_ERROR
 * (5300) with `extraCode` 5301–5307 from the DOMException's name, which survives as `originError.name`.
 * Remote users come as REMOTE_AUDIO_AVAILABLE `{ userId }` (the SDK then plays the audio itself, in an
 * `Audio` element outside the document) and REMOTE_VIDEO_AVAILABLE `{ userId, streamType: 'main' }` (the app
 * calls `startRemoteVideo({ userId, streamType, view })`); a muted or unpublished track is `*_UNAVAILABLE`. A
 * refused autoplay is AUTOPLAY_FAILED `{ userId, mediaType, resume }`, and the next click anywhere in the document
 * resumes it, as the SDK does; a remote player's `playing` is AUDIO/VIDEO_PLAY_STATE_CHANGED PLAYING.
 * `destroy()` stops the local tracks.
 *
 * A screen share: `startScreenShare({ view, publish })` captures with getDisplayMedia (a refusal is DEVICE_ERROR
 * 5302 with `originError.name` NotAllowedError) and publishes it as the sub stream once in the room; others hear
 * REMOTE_VIDEO_AVAILABLE `{ userId, streamType: 'sub' }` and play it with `startRemoteVideo({ streamType: 'sub' })`.
 * The browser's "Stop sharing" (the track's `ended`) stops and unpublishes it, then fires SCREEN_SHARE_STOPPED
 * (trtc.esm.js, startScreenShare's `ended` listener); `stopScreenShare()` without a share does nothing.
 */
import {
  convertToV5Error,
  EmulatedV5RtcError,
  EmulatedV5Trtc,
  V5_ERROR_CODE,
  type EmulatedEnterRoomConfig,
} from '../v5-client.js';
import { EmulatedRtcError } from '../v4-client.js';
import { UNKNOWN } from '../../../sdk/v4-error-codes.js';
import {
  audioElement,
  canCapture,
  captureTrack,
  playerId,
  detach,
  playRefused,
  resolveView,
  setSink,
  videoElement,
} from './devices.js';
import {
  NOTHING_PUBLISHED,
  publishesAny,
  type MediaKind,
  type MediaLink,
  type MediaPlane,
  type PlaneMember,
  type Publication,
} from './relay.js';
import { relayRoom } from './v4-media.js';
import { everyInterval, meterOf, type VolumeMeter } from './volume.js';
import { receives, startNetworkQuality } from './network-quality.js';

/** trtc-sdk-v5's media event names (`TRTC.EVENT`). */
export const V5_MEDIA_EVENT = Object.freeze({
  REMOTE_AUDIO_AVAILABLE: 'remote-audio-available',
  REMOTE_AUDIO_UNAVAILABLE: 'remote-audio-unavailable',
  REMOTE_VIDEO_AVAILABLE: 'remote-video-available',
  REMOTE_VIDEO_UNAVAILABLE: 'remote-video-unavailable',
  AUTOPLAY_FAILED: 'autoplay-failed',
  AUDIO_PLAY_STATE_CHANGED: 'audio-play-state-changed',
  VIDEO_PLAY_STATE_CHANGED: 'video-play-state-changed',
  PUBLISH_STATE_CHANGED: 'publish-state-changed',
  AUDIO_VOLUME: 'audio-volume',
  NETWORK_QUALITY: 'network-quality',
  SCREEN_SHARE_STOPPED: 'screen-share-stopped',
} as const);

const DEVICE_EXTRA_CODE: Record<string, number> = {
  NotFoundError: 5301,
  NotAllowedError: 5302,
  NotReadableError: 5303,
  OverconstrainedError: 5304,
  InvalidStateError: 5305,
  SecurityError: 5306,
  AbortError: 5307,
};

/** v5 refuses capture outside a secure context: ENV_NOT_SUPPORTED (5200), extraCode 5201. */
function notSecure(fnName: string): EmulatedV5RtcError {
  return new EmulatedV5RtcError({
    code: V5_ERROR_CODE.ENV_NOT_SUPPORTED,
    extraCode: 5201,
    fnName,
    message: `the current browser does not support the capability of the function '${fnName}' you are calling, please check the API documentation.`,
  });
}

/** v5's DEVICE_ERROR for a failed capture in `fnName`: extraCode from the DOMException's name, kept as `originError.name`. */
export function v5DeviceError(error: unknown, fnName: string): EmulatedV5RtcError {
  const name = String((error as { name?: unknown })?.name ?? '');
  const reason = error instanceof Error ? error.message : String(error);
  const device = fnName.includes('Screen') ? 'screen' : fnName.includes('Video') ? 'camera' : 'microphone';
  const messages: Record<string, string> = {
    NotFoundError: `NotFoundError, no ${device} detected, please check your device and the configuration on '${fnName}', error: ${reason}.`,
    NotAllowedError: `NotAllowedError, you have disabled ${device} access, please allow the current application to use the ${device}, error: ${reason}.`,
    NotReadableError: `NotReadableError, the ${device} maybe in use by another APP, please check if the device is pre-occupied by another APP.`,
    OverconstrainedError: `OverconstrainedError, the device ID is incorrect, please check whether the device ID passed in is correct, error: ${reason}.`,
  };
  const rtcError = new EmulatedV5RtcError({
    code: V5_ERROR_CODE.DEVICE_ERROR,
    extraCode: DEVICE_EXTRA_CODE[name] ?? 5300,
    fnName,
    message: messages[name] ?? `'${fnName}' got device exception, error: ${reason}.`,
  });
  // The SDK's internal error (code 4100, INITIALIZE_FAILED) that carries the DOMException's name.
  return Object.assign(rtcError, {
    originError: Object.assign(new Error(`${reason} <INITIALIZE_FAILED 0x1004>`), { name, code: 4100 }),
  });
}

interface LocalTrack {
  track: MediaStreamTrack;
  /** The device asked for (`option.cameraId` / `microphoneId`); '' for the default. */
  deviceId: string;
  publish: boolean;
  players: HTMLVideoElement[];
}

interface RemoteUser {
  publication: Publication;
  audio?: { link?: MediaLink; player?: HTMLAudioElement };
  video?: { link?: MediaLink; players: HTMLVideoElement[] };
  /** The sub stream (their screen share), once startRemoteVideo({ streamType: 'sub' }) asked for it. */
  screen?: { link?: MediaLink; players: HTMLVideoElement[] };
}

type View = string | HTMLElement | HTMLElement[] | null | undefined;

/** A v5 TRTC instance that also captures, publishes and receives, through the relay. */
export class EmulatedV5MediaTrtc extends EmulatedV5Trtc {
  private relay!: MediaPlane;
  private member: PlaneMember | null = null;
  private readonly local: Partial<Record<MediaKind, LocalTrack>> = {};
  private readonly remote = new Map<string, RemoteUser>();
  /** The document `click` listeners that resume a refused player (autoplayFailed). */
  private readonly clickResumes = new Set<() => void>();
  private autoReceiveAudio = true;
  private stopVolumeEvaluation: (() => void) | undefined;
  private stopNetworkQuality: (() => void) | undefined;
  /** One meter per track measured, as the SDK's tracks each keep theirs. */
  private readonly meters = new Map<MediaStreamTrack, VolumeMeter>();

  static create(relay: MediaPlane, ...args: ConstructorParameters<typeof EmulatedV5Trtc>): EmulatedV5MediaTrtc {
    const trtc = new EmulatedV5MediaTrtc(...args);
    trtc.relay = relay;
    return trtc;
  }

  override async enterRoom(params: EmulatedEnterRoomConfig & { autoReceiveAudio?: boolean }): Promise<void> {
    await super.enterRoom(params);
    this.autoReceiveAudio = params.autoReceiveAudio !== false;
    const room = relayRoom(params.sdkAppId, params.roomId ? params.roomId : params.strRoomId!);
    const member = this.relay.enter(room, params.userId, {
      published: (userId, publication) => this.onPublished(userId, publication),
    });
    this.member = member;
    // As the SDK's NetworkQuality, from the join on (network-quality.ts): TRTC.EVENT.NETWORK_QUALITY.
    this.stopNetworkQuality?.();
    this.stopNetworkQuality = startNetworkQuality(
      (payload) => this.fire(V5_MEDIA_EVENT.NETWORK_QUALITY, payload),
      () => ({
        publishing: (['audio', 'video', 'screen'] as const).some((kind) => this.local[kind]?.publish),
        receiving: receives(this.relay, room, params.userId),
        link: member.link(),
      }),
    );
    // Whether the room's media takes this member (media-carriers.ts), before anything is published.
    await member.entered;
    if (this.member !== member) return; // left or destroyed meanwhile
    // What was started before the join is published now (an audience publishes nothing).
    if (params.scene !== 'live' || params.role !== 'audience') {
      const published = (kind: MediaKind) =>
        this.local[kind]?.publish ? this.publishable(kind, this.local[kind]!.track) : undefined;
      this.member.setTracks({ audio: published('audio'), video: published('video'), screen: published('screen') });
    }
  }

  async startLocalVideo(
    config: {
      view?: View;
      publish?: boolean;
      option?: { mirror?: boolean | string; fillMode?: string; cameraId?: string };
    } = {},
  ): Promise<void> {
    if (this.local.video) return; // the SDK warns "local video is already started"
    const views = this.views(config.view, 'startLocalVideo');
    const track = await this.capture('video', 'startLocalVideo', config.option?.cameraId);
    if (!track) return;
    const mirror = config.option?.mirror ?? 'view';
    this.started(
      'video',
      track,
      config.publish !== false,
      views,
      {
        objectFit: config.option?.fillMode ?? 'cover',
        mirror: mirror === true || mirror === 'view' || mirror === 'both',
      },
      config.option?.cameraId ?? '',
    );
  }

  /** A local video track (of `deviceId`; '' for the default or a screen) is started: previewed in `views`, and published now if in the room and `publish`. */
  private started(
    kind: 'video' | 'screen',
    track: MediaStreamTrack,
    publish: boolean,
    views: HTMLElement[],
    options: { objectFit: string; mirror: boolean },
    deviceId = '',
  ): void {
    const players = views.map((view) => {
      const video = videoElement(playerId(), track, { ...options, background: true });
      view.append(video);
      void playRefused(video);
      return video;
    });
    this.local[kind] = { track, deviceId, publish, players };
    if (publish && this.member && this.publishable(kind, track)) this.member.setTrack(kind, track);
  }

  async stopLocalVideo(): Promise<void> {
    this.stopLocal('video');
  }

  async startLocalAudio(config: { publish?: boolean; option?: { microphoneId?: string } } = {}): Promise<void> {
    if (this.local.audio) return; // the SDK warns "local audio is already started"
    const track = await this.capture('audio', 'startLocalAudio', config.option?.microphoneId);
    if (!track) return;
    this.local.audio = {
      track,
      deviceId: config.option?.microphoneId ?? '',
      publish: config.publish !== false,
      players: [],
    };
    if (this.local.audio.publish && this.member && this.publishable('audio', track))
      this.member.setTrack('audio', track);
  }

  async stopLocalAudio(): Promise<void> {
    this.stopLocal('audio');
  }

  /** As the SDK's updateLocalVideo with `option.cameraId`: the started camera switches device (switchDevice below). */
  async updateLocalVideo(config: { option?: { cameraId?: string } } = {}): Promise<void> {
    if (config.option?.cameraId) await this.switchDevice('video', config.option.cameraId, 'updateLocalVideo');
  }

  /** As the SDK's updateLocalAudio with `option.microphoneId`. */
  async updateLocalAudio(config: { option?: { microphoneId?: string } } = {}): Promise<void> {
    if (config.option?.microphoneId) await this.switchDevice('audio', config.option.microphoneId, 'updateLocalAudio');
  }

  /** The local camera's track (`getVideoTrack()`), as the SDK: null while none is started. */
  getVideoTrack(): MediaStreamTrack | null {
    return this.local.video?.track ?? null;
  }

  /** The local microphone's track (`getAudioTrack()`). */
  getAudioTrack(): MediaStreamTrack | null {
    return this.local.audio?.track ?? null;
  }

  /**
   * As trtc-sdk-v5's LocalVideoTrack/LocalAudioTrack.switchDevice (trtc.esm.js): nothing before a start or for
   * the device in use; else the source track is stopped, the device captured with an exact deviceId
   * (`useExactDeviceId`, `retryWhenExactFailed: false`) and published in place of the old track (the previews
   * follow); on failure the previous device is captured again (`recapture`) and the DEVICE_ERROR thrown.
   */
  private async switchDevice(kind: MediaKind, deviceId: string, fnName: string): Promise<void> {
    const local = this.local[kind];
    if (!local || local.deviceId === deviceId) return;
    local.track.stop();
    const use = (track: MediaStreamTrack, id: string) => {
      if (this.local[kind] !== local) return track.stop();
      local.track = track;
      local.deviceId = id;
      for (const player of local.players) player.srcObject = new MediaStream([track]);
      if (local.publish && this.member) this.member.setTrack(kind, track);
    };
    const previous = local.deviceId;
    try {
      use(await captureTrack(this.relay, kind, deviceId), deviceId);
    } catch (error) {
      const recaptured = await captureTrack(this.relay, kind, previous).catch(() => undefined);
      if (recaptured) use(recaptured, previous);
      throw v5DeviceError(error, fnName);
    }
  }

  /** The speaker every remote audio of this instance plays on (TRTC.setCurrentSpeaker, sdk-shapes.ts). */
  private speakerId = '';

  /** @internal For the static TRTC.setCurrentSpeaker: this instance's remote audio on `deviceId`, and later players too. */
  async setSpeaker(deviceId: string): Promise<void> {
    this.speakerId = deviceId;
    await Promise.all(
      [...this.remote.values()].map((user) =>
        user.audio?.player ? setSink(user.audio.player, deviceId) : Promise.resolve(),
      ),
    );
  }

  /** Captures a screen (the browser's picker) and publishes it as the sub stream (once in the room, unless `publish: false`). */
  async startScreenShare(
    config: { view?: View; publish?: boolean; option?: { fillMode?: string } } = {},
  ): Promise<void> {
    if (this.local.screen) return; // the SDK warns that screen sharing is already started
    const views = this.views(config.view, 'startScreenShare');
    const track = await this.capture('screen', 'startScreenShare');
    if (!track) return;
    track.addEventListener('ended', () => {
      if (this.local.screen?.track !== track) return;
      this.stopLocal('screen');
      this.fire(V5_MEDIA_EVENT.SCREEN_SHARE_STOPPED, undefined);
    });
    this.started('screen', track, config.publish !== false, views, {
      objectFit: config.option?.fillMode ?? 'contain',
      mirror: false,
    });
  }

  async stopScreenShare(): Promise<void> {
    this.stopLocal('screen');
  }

  /**
   * Receives and plays a remote user's video in `view`. As the SDK: returns silently if that user publishes
   * no video, and does nothing for a second call (it warns).
   */
  async startRemoteVideo(config: {
    userId: string;
    streamType: 'main' | 'sub';
    view?: View;
    option?: { fillMode?: string; mirror?: boolean };
  }): Promise<void> {
    const user = this.remote.get(config.userId);
    const slot = config.streamType === 'sub' ? 'screen' : config.streamType === 'main' ? 'video' : undefined;
    if (!this.member || !user || !slot || !user.publication[slot]) return;
    if (user[slot]) return;
    const views = this.views(config.view, 'startRemoteVideo');
    const video: NonNullable<RemoteUser['video']> = { players: [] };
    user[slot] = video;
    let link: MediaLink;
    try {
      link = await this.member.subscribe(config.userId, slot);
    } catch (error) {
      if (user[slot] === video) delete user[slot];
      throw new EmulatedV5RtcError({
        code: V5_ERROR_CODE.OPERATION_FAILED,
        fnName: 'startRemoteVideo',
        message: `'startRemoteVideo' failed, reason: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (user[slot] !== video || this.remote.get(config.userId) !== user) {
      link.close();
      return;
    }
    video.link = link;
    for (const view of views) {
      const player = videoElement(playerId(), link.track, {
        objectFit: config.option?.fillMode ?? 'cover',
        mirror: config.option?.mirror === true,
        background: true,
      });
      view.append(player);
      video.players.push(player);
      this.reportPlayState(player, { userId: config.userId, streamType: slot === 'screen' ? 'sub' : 'main' });
    }
    for (const player of video.players) {
      if (await playRefused(player)) this.autoplayFailed(config.userId, slot, player);
    }
  }

  /** Stops one user's video of `streamType` (`'*'`: everyone's of both types) and removes its players. */
  async stopRemoteVideo(config: { userId: string; streamType?: 'main' | 'sub' }): Promise<void> {
    for (const [userId, user] of this.remote)
      if (config.userId === '*' || config.userId === userId)
        this.dropRemoteVideo(
          user,
          config.userId === '*' ? undefined : config.streamType === 'sub' ? 'screen' : 'video',
        );
  }

  /**
   * As the SDK: every `interval` ms (at least 100; 2000 unless told; ≤ 0 turns it off) fires AUDIO_VOLUME
   * `{ result: [{ userId, volume, floatVolume }] }`, largest volume first: the local microphone as userId `''`
   * (while one is started), and each remote user who publishes audio (0 while it is muted or not received),
   * `volume` = `Math.floor(level * 100)` of the track's measured level.
   */
  enableAudioVolumeEvaluation(interval = 2000, _enableInBackground = false): void {
    if (typeof interval !== 'number' || Number.isNaN(interval))
      throw new EmulatedV5RtcError({
        code: V5_ERROR_CODE.INVALID_PARAMETER,
        fnName: 'enableAudioVolumeEvaluation',
        message: "'interval' must be of type number when calling enableAudioVolumeEvaluation().",
      });
    this.stopVolumeEvaluation?.();
    this.stopVolumeEvaluation = undefined;
    if (interval <= 0) return;
    this.stopVolumeEvaluation = everyInterval(Math.floor(Math.max(interval, 100)), () => this.reportVolumes());
  }

  private reportVolumes(): void {
    const measured = new Set<MediaStreamTrack>();
    const entry = (userId: string, track: MediaStreamTrack | undefined) => {
      let level = 0;
      if (track) {
        measured.add(track);
        let meter = this.meters.get(track);
        if (!meter) this.meters.set(track, (meter = meterOf(track)));
        level = meter.level();
      }
      return { userId, volume: Math.floor(level * 100), floatVolume: level };
    };
    const result: Array<{ userId: string; volume: number; floatVolume: number }> = [];
    for (const [userId, user] of this.remote) {
      if (!user.publication.audio) continue;
      const received = !user.publication.audioMuted ? user.audio?.link?.track : undefined;
      result.push(entry(userId, received));
    }
    if (this.local.audio) result.push(entry('', this.local.audio.track));
    this.dropMeters(measured);
    this.fire(V5_MEDIA_EVENT.AUDIO_VOLUME, { result: result.sort((a, b) => b.volume - a.volume) });
  }

  /** Drops the meters of tracks not measured any more (all of them, by default). */
  private dropMeters(keep: ReadonlySet<MediaStreamTrack> = new Set()): void {
    for (const [track, meter] of this.meters) {
      if (keep.has(track)) continue;
      meter.destroy();
      this.meters.delete(track);
    }
  }

  /** Leaves the room; the local tracks stay captured (a preview), as in the SDK. */
  override async exitRoom(): Promise<void> {
    // What it published and received stops before it leaves: the others hear *_UNAVAILABLE first.
    this.leaveMedia();
    await super.exitRoom();
  }

  /** The SDK's destroy() also stops the local audio and video. */
  override destroy(): void {
    this.stopVolumeEvaluation?.();
    this.stopVolumeEvaluation = undefined;
    this.dropMeters();
    this.leaveMedia();
    this.stopLocal('audio');
    this.stopLocal('video');
    this.stopLocal('screen');
    super.destroy();
  }

  protected override fire(event: string, payload: any): void {
    if (event === 'connection-state-changed' && payload?.state === 'DISCONNECTED') this.leaveMedia();
    if (event === 'remote-user-exit') this.forgetRemote(payload.userId);
    super.fire(event, payload);
  }

  /**
   * A remote user gone: as trtc-sdk-v5's peer-leave (trtc.esm.js: `closeDownLinkConnection(userId, "remote user
   * exitRoom")` drops the user from remotePublishedUserMap and its `remote-unpublished` only stops the tracks),
   * its media ends with no REMOTE_*_UNAVAILABLE, and the relay's later word that it publishes nothing fires none.
   */
  private forgetRemote(userId: string): void {
    const user = this.remote.get(userId);
    if (!user) return;
    this.remote.delete(userId);
    this.dropRemoteVideo(user);
    this.dropRemoteAudio(user);
  }

  /**
   * Captures `kind` (`deviceId`: that one, exactly) for `fnName` with the SDK's errors; in a room, only once the
   * emulator has said whether the room's media takes this member; undefined (the track stopped) when destroyed
   * meanwhile.
   */
  private async capture(kind: MediaKind, fnName: string, deviceId?: string): Promise<MediaStreamTrack | undefined> {
    if (!canCapture()) throw notSecure(fnName);
    let track: MediaStreamTrack;
    try {
      track = await captureTrack(this.relay, kind, deviceId);
    } catch (error) {
      throw v5DeviceError(error, fnName);
    }
    await this.member?.entered;
    if (!this.destroyed) return track;
    track.stop();
    return undefined;
  }

  private views(view: View, fnName: string): HTMLElement[] {
    if (view === null || view === undefined) return [];
    if (Array.isArray(view)) return view;
    const element = resolveView(view);
    if (!element) {
      throw new EmulatedV5RtcError({
        code: V5_ERROR_CODE.INVALID_PARAMETER,
        extraCode: 5009,
        fnName,
        message: `'view' is not found in the document object when calling ${fnName}().`,
      });
    }
    return [element];
  }

  /**
   * The track, unless this publish is refused (`faults.nextPublish()`). Then, as trtc-sdk-v5's LocalTrack.publish
   * fails (trtc.esm.js: `fail(e)` emits state `stopped`, prevState `starting`, reason `error` and the error, and
   * TRTC re-emits it as PUBLISH_STATE_CHANGED with `RtcError.convertFrom(error)`), the preview stays and
   * startLocalVideo() / startLocalAudio() resolve. The double fires no `starting` / `started` on a publish that
   * goes through.
   */
  private publishable(kind: MediaKind, track: MediaStreamTrack): MediaStreamTrack | undefined {
    // Refused by the emulator (a room whose media it carries for the real SDKs), or by an injected fault.
    const refused = this.member?.refusal
      ? { error: new EmulatedRtcError(UNKNOWN, this.member.refusal) }
      : this.faults.takePublish();
    if (!refused) return track;
    const error = convertToV5Error(refused.error ?? new EmulatedRtcError(UNKNOWN, 'Injected publish failure.'));
    setTimeout(() => {
      if (!this.destroyed)
        this.fire(V5_MEDIA_EVENT.PUBLISH_STATE_CHANGED, {
          mediaType: kind,
          state: 'stopped',
          prevState: 'starting',
          reason: 'error',
          error,
        });
    });
    return undefined;
  }

  private stopLocal(kind: MediaKind): void {
    const local = this.local[kind];
    if (!local) return;
    delete this.local[kind];
    this.member?.setTrack(kind, undefined);
    local.track.stop();
    for (const player of local.players) detach(player);
  }

  private leaveMedia(): void {
    const member = this.member;
    this.member = null;
    this.stopNetworkQuality?.();
    this.stopNetworkQuality = undefined;
    member?.exit();
    // Nothing of this instance is left to resume (the SDK's listeners would stay until the next click).
    for (const onClick of this.clickResumes) document.removeEventListener('click', onClick, true);
    this.clickResumes.clear();
    for (const user of this.remote.values()) {
      this.dropRemoteVideo(user);
      this.dropRemoteAudio(user);
    }
    this.remote.clear();
  }

  /** Drops a user's received video of one slot (none given: both, the camera's and the screen's). */
  private dropRemoteVideo(user: RemoteUser, only?: 'video' | 'screen'): void {
    for (const slot of only ? [only] : (['video', 'screen'] as const)) {
      user[slot]?.link?.close();
      for (const player of user[slot]?.players ?? []) detach(player);
      delete user[slot];
    }
  }

  private dropRemoteAudio(user: RemoteUser): void {
    user.audio?.link?.close();
    detach(user.audio?.player);
    delete user.audio;
  }

  /**
   * A refused play, as trtc-sdk-v5's remote track handles it (trtc.esm.js, `handleAutoPlayFailed`): with the dialog
   * off, a capture-phase `click` listener on the document resumes the player on the next click anywhere and then
   * removes itself (the player's resume swallows a second refusal, so the first click ends it either way); with
   * the dialog on, the dialog's confirm resumes it, and as the dialog covers the page, that is the next click
   * too: the double draws no dialog and resumes on that click in both cases. Then AUTOPLAY_FAILED, whose `resume`
   * is the player's own.
   */
  private autoplayFailed(userId: string, mediaType: 'audio' | 'video' | 'screen', element: HTMLMediaElement): void {
    const resume = () => element.play().catch(() => undefined);
    const onClick = () => {
      this.clickResumes.delete(onClick);
      document.removeEventListener('click', onClick, true);
      void resume();
    };
    this.clickResumes.add(onClick);
    document.addEventListener('click', onClick, true);
    this.fire(V5_MEDIA_EVENT.AUTOPLAY_FAILED, { userId, mediaType, resume });
  }

  /**
   * A remote player's `playing` as AUDIO_PLAY_STATE_CHANGED / VIDEO_PLAY_STATE_CHANGED PLAYING (trtc.esm.js: the
   * remote track's `player-state-changed`, re-emitted by TRTC with the userId and, for video, the streamType). The
   * SDK's PAUSED and STOPPED are not emulated.
   */
  private reportPlayState(element: HTMLMediaElement, payload: { userId: string; streamType?: 'main' | 'sub' }): void {
    const event = payload.streamType
      ? V5_MEDIA_EVENT.VIDEO_PLAY_STATE_CHANGED
      : V5_MEDIA_EVENT.AUDIO_PLAY_STATE_CHANGED;
    element.addEventListener('playing', () => this.fire(event, { ...payload, state: 'PLAYING', reason: 'playing' }));
  }

  private onPublished(userId: string, publication: Publication): void {
    if (!this.member) return;
    const user = this.remote.get(userId) ?? { publication: NOTHING_PUBLISHED };
    this.remote.set(userId, user);
    const before = {
      audio: user.publication.audio && !user.publication.audioMuted,
      video: user.publication.video && !user.publication.videoMuted,
    };
    const now = {
      audio: publication.audio && !publication.audioMuted,
      video: publication.video && !publication.videoMuted,
    };
    const screenBefore = !!user.publication.screen;
    user.publication = publication;
    if (!now.video) this.dropRemoteVideo(user, 'video');
    if (!publication.screen) this.dropRemoteVideo(user, 'screen');
    if (!now.audio) this.dropRemoteAudio(user);
    if (before.audio !== now.audio) {
      this.fire(now.audio ? V5_MEDIA_EVENT.REMOTE_AUDIO_AVAILABLE : V5_MEDIA_EVENT.REMOTE_AUDIO_UNAVAILABLE, {
        userId,
      });
      if (now.audio && this.autoReceiveAudio) void this.receiveAudio(userId, user);
    }
    if (before.video !== now.video)
      this.fire(now.video ? V5_MEDIA_EVENT.REMOTE_VIDEO_AVAILABLE : V5_MEDIA_EVENT.REMOTE_VIDEO_UNAVAILABLE, {
        userId,
        streamType: 'main',
      });
    if (screenBefore !== !!publication.screen)
      this.fire(publication.screen ? V5_MEDIA_EVENT.REMOTE_VIDEO_AVAILABLE : V5_MEDIA_EVENT.REMOTE_VIDEO_UNAVAILABLE, {
        userId,
        streamType: 'sub',
      });
    if (!publishesAny(publication)) this.remote.delete(userId);
  }

  /** The SDK plays remote audio by itself, in an `Audio` element it keeps out of the document. */
  private async receiveAudio(userId: string, user: RemoteUser): Promise<void> {
    const member = this.member;
    if (!member || user.audio) return;
    const audio: NonNullable<RemoteUser['audio']> = {};
    user.audio = audio;
    let link: MediaLink;
    try {
      link = await member.subscribe(userId, 'audio');
    } catch {
      if (user.audio === audio) delete user.audio;
      return;
    }
    if (user.audio !== audio || this.member !== member) {
      link.close();
      return;
    }
    audio.link = link;
    audio.player = audioElement(link.track, false, undefined, this.speakerId);
    this.reportPlayState(audio.player, { userId });
    if (await playRefused(audio.player)) this.autoplayFailed(userId, 'audio', audio.player);
  }
}
