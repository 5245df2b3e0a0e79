/**
 * trtc-js-sdk v4's media API over the emulator's relay, with the SDK's own names, payloads and error shapes
 * (trtc-js-sdk 4.15.22: index.d.ts and trtc.esm.js): `TRTC.createStream()` gives a LocalStream whose
 * `initialize()` captures with getUserMedia; `play(div)` appends `<div id="player_…">` with an `<audio>` and a
 * muted `<video>`; a refused autoplay is RtcError 0x4043 (PLAY_NOT_ALLOWED), on the stream's `error` and from
 * `play()`, until `resume()`. The client publishes one LocalStream, and hears `stream-added` (it receives the
 * stream by itself unless `autoSubscribe: false`, firing no `stream-subscribed` then, as trtc-js-sdk's
 * DownlinkConnection; `client.subscribe()` fires it), `-updated`, `-removed`, and `mute-`/`unmute-`
 * `audio`/`video` `{ userId }` (one of each pair when a stream is first seen, then on change).
 *
 * A screen share, as in 4.15: `createStream({ screen: true })` captures with getDisplayMedia (a refusal is
 * RtcError INITIALIZE_FAILED named after the DOMException), the stream fires `screen-sharing-stopped` when the
 * track ends (LocalStream.listenForScreenSharingStopped, and stays published), and `publish(stream, { isAuxiliary:
 * true })` sends it as the client's auxiliary stream beside the main one. The others get a second RemoteStream
 * of that user, `getType()` `'auxiliary'`, with `stream-added` / `stream-subscribed` / `stream-removed` of its own.
 * The double's auxiliary stream takes no addTrack / removeTrack.
 */
import { relayKeyOf } from '../../core/wire-protocol.js';
import { receives, startNetworkQuality } from './network-quality.js';
import { HandlerMap, type Handler } from '../handlers.js';
import {
  EmulatedRtcError,
  EmulatedV4Client,
  INVALID_OPERATION,
  INVALID_PARAMETER,
  type EmulatedClientConfig,
} from '../v4-client.js';
import {
  audioElement,
  canCapture,
  captureTrack,
  deviceConstraint,
  playerId,
  detach,
  playRefused,
  resolveView,
  setSink,
  videoElement,
} from './devices.js';
import {
  NOTHING_PUBLISHED,
  type MediaKind,
  type MediaLink,
  type MediaPlane,
  type PlaneMember,
  type Publication,
} from './relay.js';
import { everyInterval, meterOf, type VolumeMeter } from './volume.js';

import { DEVICE_NOT_FOUND, INITIALIZE_FAILED, PLAY_NOT_ALLOWED, UNKNOWN } from '../../../sdk/v4-error-codes.js';
export { DEVICE_NOT_FOUND, INITIALIZE_FAILED, PLAY_NOT_ALLOWED };

/** How many times a subscription is made again when the publisher's track changes while it connects. */
const RELINK_ATTEMPTS = 3;

/** v4's StreamConfig, as far as the double reads it. */
export interface EmulatedStreamConfig {
  userId?: string;
  audio?: boolean;
  video?: boolean;
  /** The camera to capture, exactly (trtc-js-sdk: `deviceId: { exact }`); unset: the default. */
  cameraId?: string;
  microphoneId?: string;
  /** A screen (getDisplayMedia), as the stream's video track. */
  screen?: boolean;
  audioSource?: MediaStreamTrack;
  videoSource?: MediaStreamTrack;
}

export interface PlaybackOptions {
  objectFit?: string;
  muted?: boolean;
  mirror?: boolean;
}

/** The relay's key of a room: numeric and string rooms apart, shared by both SDK shapes. */
export const relayRoom = relayKeyOf;

/**
 * v4's capture failure: an RtcError named after the DOMException (`NotAllowedError`, `NotReadableError`, …)
 * with code INITIALIZE_FAILED, except a missing device, which loses the DOMException's name: `RtcError`,
 * DEVICE_NOT_FOUND, "no camera detected…" (trtc.esm.js, the retrying getUserMedia wrapper).
 */
export function v4DeviceError(error: unknown, wanted: { audio: boolean; video: boolean }): EmulatedRtcError {
  const name = (error as { name?: unknown })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NotFoundError' && (wanted.audio || wanted.video)) {
    const device = wanted.video ? 'camera' : 'microphone';
    return new EmulatedRtcError(
      DEVICE_NOT_FOUND,
      `no ${device} detected, please check your ${device} and the configuration on TRTC.createStream. \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/tutorial-22-advanced-audio-video-config.html\n <DEVICE_NOT_FOUND 0x1003>`,
    );
  }
  const rtcError = new EmulatedRtcError(INITIALIZE_FAILED, `${message} <INITIALIZE_FAILED 0x1004>`);
  if (typeof name === 'string' && name) rtcError.name = name;
  return rtcError;
}

/** v4's Stream: the tracks, and the player div `play()` builds in the container. */
abstract class EmulatedStream {
  private readonly handlers = new HandlerMap();
  protected readonly tracks: Partial<Record<MediaKind, MediaStreamTrack>> = {};
  private player: HTMLDivElement | undefined;
  private audio: HTMLAudioElement | undefined;
  private video: HTMLVideoElement | undefined;
  private options: Required<PlaybackOptions> | undefined;
  /** The SDK's AudioPlayer measures its track while it plays (the volume `audio-volume` reports). */
  private meter: VolumeMeter | undefined;
  readonly id = playerId();

  constructor(protected userId: string) {}

  protected abstract readonly defaults: Required<PlaybackOptions>;

  on(event: string, handler: Handler): void {
    this.handlers.add(event, handler);
  }

  off(event: string, handler?: Handler): void {
    this.handlers.remove(event, handler);
  }

  getId(): string {
    return this.id;
  }

  getUserId(): string {
    return this.userId;
  }

  hasAudio(): boolean {
    return !!this.tracks.audio;
  }

  hasVideo(): boolean {
    return !!this.tracks.video;
  }

  getAudioTrack(): MediaStreamTrack | null {
    return this.tracks.audio ?? null;
  }

  getVideoTrack(): MediaStreamTrack | null {
    return this.tracks.video ?? null;
  }

  /** The RMS (0 to 1) of the audio playing now; 0 while the stream's audio is not played, as in the SDK. */
  getAudioLevel(): number {
    return this.meter?.level() ?? 0;
  }

  getMediaStream(): MediaStream {
    return new MediaStream(Object.values(this.tracks));
  }

  /**
   * Appends `<div id="player_<id>">` (with `<audio>` and muted `<video>`) to the element; a second call moves it
   * and updates the options. Rejects with RtcError 0x4043 (and fires `error`) when the browser refuses to autoplay.
   */
  async play(elementOrId: string | HTMLElement, options: PlaybackOptions = {}): Promise<void> {
    const container = resolveView(elementOrId);
    // The SDK calls `appendChild` on what getElementById gave: a TypeError for an id it cannot find.
    if (!container) throw new TypeError("Cannot read properties of null (reading 'appendChild')");
    this.options = { ...this.defaults, ...(this.options ?? {}), ...options };
    if (!this.player) {
      this.player = document.createElement('div');
      this.player.id = `player_${this.id}`;
      this.player.setAttribute(
        'style',
        'width: 100%; height: 100%; position: relative; background-color: black; overflow: hidden;',
      );
    }
    if (this.player.parentElement !== container) container.appendChild(this.player);
    this.renderPlayers();
    await this.startPlayers();
  }

  /** Plays again what the browser refused; call it from a user gesture. */
  async resume(): Promise<void> {
    await this.startPlayers();
  }

  /** Stops playing: the player div is removed. */
  stop(): void {
    this.dropMeter();
    detach(this.audio);
    detach(this.video);
    this.audio = this.video = undefined;
    this.player?.remove();
    this.player = undefined;
    this.options = undefined;
  }

  /** Stops playing; a LocalStream also stops its tracks (the device is released). */
  close(): void {
    this.stop();
  }

  /** The speaker chosen with setAudioOutput(), for the audio player made later. */
  protected speakerId = '';

  /** @internal Sets or clears one track; a playing stream updates its players. */
  setTrack(kind: MediaKind, track: MediaStreamTrack | undefined): void {
    if (this.tracks[kind] === track) return;
    if (track) this.tracks[kind] = track;
    else delete this.tracks[kind];
    if (kind === 'audio') {
      this.dropMeter();
      detach(this.audio);
      this.audio = undefined;
    } else {
      detach(this.video);
      this.video = undefined;
    }
    if (this.player) {
      this.renderPlayers();
      // Already reported: startPlayers() fires the stream's `error` (PLAY_NOT_ALLOWED) before it rejects.
      void this.startPlayers().catch(() => undefined);
    }
  }

  /** @internal The `<audio>` playing the stream, if any. */
  protected audioPlayer(): HTMLAudioElement | undefined {
    return this.audio;
  }

  protected fire(event: string, payload: unknown): void {
    this.handlers.fire(event, payload);
  }

  private dropMeter(): void {
    this.meter?.destroy();
    this.meter = undefined;
  }

  private renderPlayers(): void {
    const player = this.player!;
    const options = this.options!;
    if (this.tracks.audio && !this.audio) {
      this.audio = audioElement(this.tracks.audio, options.muted, this.id, this.speakerId);
      this.meter = meterOf(this.tracks.audio);
      this.reportPlayState(this.audio, 'audio');
      player.prepend(this.audio);
    }
    if (this.audio) this.audio.muted = options.muted;
    if (this.tracks.video && !this.video) {
      this.video = videoElement(this.id, this.tracks.video, options);
      this.reportPlayState(this.video, 'video');
      player.append(this.video);
    }
  }

  /**
   * The player's `playing` as the stream's `player-state-changed` PLAYING (trtc.esm.js: AudioPlayer's and
   * VideoPlayer's handleElementEvent, re-emitted by the stream with `type`). The SDK's PAUSED and STOPPED (a pause
   * in play, the track's mute or end) are not emulated.
   */
  private reportPlayState(element: HTMLMediaElement, type: 'audio' | 'video'): void {
    element.addEventListener('playing', () =>
      this.fire('player-state-changed', { type, state: 'PLAYING', reason: 'playing' }),
    );
  }

  private async startPlayers(): Promise<void> {
    for (const element of [this.audio, this.video]) {
      if (!element) continue;
      const refused = await playRefused(element);
      if (!refused) continue;
      const error = new EmulatedRtcError(
        PLAY_NOT_ALLOWED,
        `${refused.name}: ${refused.message} <PLAY_NOT_ALLOWED 0x4043>`,
      );
      this.fire('error', error);
      throw error;
    }
  }
}

/** v4's LocalStream, from `TRTC.createStream()`. */
export class EmulatedLocalStream extends EmulatedStream {
  protected readonly defaults = { objectFit: 'cover', muted: true, mirror: true };
  private initialized = false;

  constructor(
    private readonly relay: MediaPlane,
    readonly config: EmulatedStreamConfig,
  ) {
    super(config.userId ?? '');
  }

  /** Captures (getUserMedia, or the given sources); rejects with v4's device error. */
  async initialize(): Promise<void> {
    if (this.initialized) return;
    const { audio = false, video = false, screen = false, audioSource, videoSource } = this.config;
    if (screen) {
      if (!canCapture()) throw new EmulatedRtcError(INVALID_OPERATION, 'screen sharing needs https or localhost.');
      let track: MediaStreamTrack;
      try {
        track = await captureTrack(this.relay, 'screen');
      } catch (error) {
        // getDisplayMedia's failure: RtcError INITIALIZE_FAILED named after it (trtc.esm.js, LocalStream.initialize).
        throw v4DeviceError(error, { audio: false, video: false });
      }
      track.addEventListener('ended', () => this.fire('screen-sharing-stopped', undefined));
      this.setTrack('video', track);
      this.initialized = true;
      return;
    }
    if (audioSource || videoSource) {
      if (audioSource) this.setTrack('audio', audioSource);
      if (videoSource) this.setTrack('video', videoSource);
      this.initialized = true;
      return;
    }
    if (!audio && !video) throw new EmulatedRtcError(INVALID_PARAMETER, 'createStream needs audio or video.');
    if (!canCapture()) {
      throw new EmulatedRtcError(
        INVALID_OPERATION,
        'http protocol does not support the ability to capture and publish streams, please use https protocol or localhost. <INVALID_OPERATION 0x1001>',
      );
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: audio && deviceConstraint(this.config.microphoneId),
        video: video && deviceConstraint(this.config.cameraId),
      });
    } catch (error) {
      throw v4DeviceError(error, { audio, video });
    }
    for (const track of stream.getTracks()) this.relay.capturedTracks.add(track);
    this.setTrack('audio', stream.getAudioTracks()[0]);
    this.setTrack('video', stream.getVideoTracks()[0]);
    this.initialized = true;
  }

  /** @internal The relay member this stream is published through (set by the client's publish()). */
  publishedOn: PlaneMember | null = null;

  /**
   * As trtc-js-sdk's LocalStream.addTrack: a stream has at most one track of each kind; on a published stream the
   * track is sent at once and the others hear that kind come (the other kind's subscriptions go on).
   */
  async addTrack(track: MediaStreamTrack): Promise<void> {
    if (!this.initialized) throw new EmulatedRtcError(INVALID_OPERATION, 'local stream has not initialized yet.');
    if (this.tracks[track.kind as MediaKind])
      throw new EmulatedRtcError(INVALID_OPERATION, 'a Stream has at most one audio track and one video track.');
    this.setTrack(track.kind as MediaKind, track);
    this.publishedOn?.setTracks({ [track.kind]: track });
  }

  /** As LocalStream.removeTrack: the track leaves the stream (not stopped); the others hear that kind go. */
  async removeTrack(track: MediaStreamTrack): Promise<void> {
    const kind = track.kind as MediaKind;
    if (this.tracks[kind] !== track)
      throw new EmulatedRtcError(INVALID_PARAMETER, 'the track to be removed is not being publishing.');
    this.setTrack(kind, undefined);
    this.publishedOn?.setTracks({ [kind]: undefined });
  }

  /** As LocalStream.replaceTrack: another track of a kind the stream has. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const kind = track.kind as MediaKind;
    if (!this.tracks[kind])
      throw new EmulatedRtcError(
        INVALID_PARAMETER,
        `cannot replace ${kind} track because stream has not ${kind} track`,
      );
    this.setTrack(kind, track);
    this.publishedOn?.setTracks({ [kind]: track });
  }

  /**
   * As trtc-js-sdk's LocalStream.switchDevice (trtc.esm.js): nothing for the device already in use; else the
   * current track of that kind is stopped, the device captured exactly (`useExact`, no retry without it) and put
   * in place with replaceTrack() (on a published stream, sent at once); on failure the previous device is
   * captured again (`recoverCapture`) and the error thrown, as initialize()'s.
   */
  async switchDevice(type: 'audio' | 'video', deviceId: string): Promise<void> {
    const key = type === 'audio' ? 'microphoneId' : 'cameraId';
    if (!this.initialized || this.config[key] === deviceId) return;
    const previous = this.config[key];
    this.tracks[type]?.stop();
    const capture = async (id: string | undefined) => {
      const stream = await navigator.mediaDevices.getUserMedia(
        type === 'audio' ? { audio: deviceConstraint(id) } : { video: deviceConstraint(id) },
      );
      const track = stream.getTracks()[0]!;
      this.relay.capturedTracks.add(track);
      await this.replaceTrack(track);
    };
    try {
      await capture(deviceId);
      this.config[key] = deviceId;
    } catch (error) {
      await capture(previous).catch(() => undefined);
      throw v4DeviceError(error, { audio: type === 'audio', video: type === 'video' });
    }
  }

  override close(): void {
    super.close();
    for (const track of [this.tracks.audio, this.tracks.video]) track?.stop();
  }
}

/** v4's RemoteStream: one per remote user and type (`main`; `auxiliary`: their screen share), filled by the subscription. */
export class EmulatedRemoteStream extends EmulatedStream {
  protected readonly defaults = { objectFit: 'cover', muted: false, mirror: false };

  constructor(
    userId: string,
    private readonly type: 'main' | 'auxiliary' = 'main',
  ) {
    super(userId);
  }
  /** @internal */
  publication: Publication = NOTHING_PUBLISHED;
  /** @internal The links carrying this stream's tracks. */
  readonly links: Partial<Record<MediaKind, MediaLink>> = {};
  /** @internal What the app subscribed to (undefined: not subscribed). */
  subscribed: { audio: boolean; video: boolean } | undefined;
  /** @internal The subscription of each kind under way. */
  readonly linking: Partial<Record<MediaKind, Promise<void>>> = {};

  getType(): 'main' | 'auxiliary' {
    return this.type;
  }

  /** As RemoteStream.setAudioOutput: the audio player's setSinkId, the id kept for a player made later. */
  async setAudioOutput(deviceId: string): Promise<void> {
    this.speakerId = deviceId;
    const audio = this.audioPlayer();
    if (audio) await setSink(audio, deviceId);
  }

  /** @internal Closes the links; the tracks end. */
  disconnect(kinds: MediaKind[] = ['audio', 'video']): void {
    for (const kind of kinds) {
      this.links[kind]?.close();
      delete this.links[kind];
      this.setTrack(kind, undefined);
    }
  }
}

/** A v4 Client that also publishes and subscribes, through the relay. */
export class EmulatedV4MediaClient extends EmulatedV4Client {
  private relay!: MediaPlane;
  private member: PlaneMember | null = null;
  private published: EmulatedLocalStream | null = null;
  /** The stream published with `isAuxiliary` (a screen share). */
  private publishedAux: EmulatedLocalStream | null = null;
  private readonly remoteStreams = new Map<string, EmulatedRemoteStream>();
  /** Each remote user's auxiliary (screen) stream. */
  private readonly remoteAux = new Map<string, EmulatedRemoteStream>();
  private readonly auxConnecting = new WeakMap<EmulatedRemoteStream, Promise<void>>();
  private stopVolumeEvaluation: (() => void) | undefined;
  private stopNetworkQuality: (() => void) | undefined;

  static create(relay: MediaPlane, ...args: ConstructorParameters<typeof EmulatedV4Client>): EmulatedV4MediaClient {
    const client = new EmulatedV4MediaClient(...args);
    client.relay = relay;
    return client;
  }

  override async join(options: { roomId: number | string; role?: 'anchor' | 'audience' }): Promise<void> {
    await super.join(options);
    const { sdkAppId, userId } = this.config as EmulatedClientConfig;
    const room = relayRoom(sdkAppId, options.roomId);
    const member = this.relay.enter(room, userId, {
      published: (who, publication) => this.onPublished(who, publication),
    });
    this.member = member;
    // As the SDK's NetworkQuality, from the join on (network-quality.ts).
    this.stopNetworkQuality?.();
    this.stopNetworkQuality = startNetworkQuality(
      (payload) => this.fire('network-quality', payload),
      () => ({
        publishing: !!(this.published || this.publishedAux),
        receiving: receives(this.relay, room, userId),
        link: member.link(),
      }),
    );
  }

  /** Publishes the LocalStream (one main and one auxiliary at a time). */
  async publish(stream: EmulatedLocalStream, options: { isAuxiliary?: boolean } = {}): Promise<void> {
    if (!this.member) throw new EmulatedRtcError(INVALID_OPERATION, 'please call join() before publish()');
    // A room whose media the emulator carries for a real SDK refuses this member's, as the server refuses theirs.
    await this.member.entered;
    if (!this.member) throw new EmulatedRtcError(INVALID_OPERATION, 'please call join() before publish()');
    if (this.member.refusal) throw new EmulatedRtcError(UNKNOWN, this.member.refusal);
    if (options.isAuxiliary) {
      // The SDK's publish validator: one auxiliary stream per client ("auxiliary stream is already published").
      if (this.publishedAux)
        throw new EmulatedRtcError(
          INVALID_OPERATION,
          'auxiliary stream is already published, please unpublish it first',
        );
      this.publishedAux = stream;
      this.member.setTrack('screen', stream.getVideoTrack() ?? undefined);
      return;
    }
    if (this.published)
      throw new EmulatedRtcError(
        INVALID_OPERATION,
        'duplicate publishing, please unpublish your prePublished localStream and then publish it again',
      );
    const refused = this.faults.takePublish();
    // trtc-js-sdk rejects a publish the server refuses with its RtcError (UNKNOWN, 0xFFFF, against the emulator).
    if (refused) throw refused.error ?? new EmulatedRtcError(UNKNOWN, 'Injected publish failure.');
    this.published = stream;
    stream.publishedOn = this.member;
    this.member.setTracks({ audio: stream.getAudioTrack() ?? undefined, video: stream.getVideoTrack() ?? undefined });
  }

  async unpublish(stream: EmulatedLocalStream): Promise<void> {
    if (stream === this.publishedAux) {
      this.publishedAux = null;
      this.member?.setTrack('screen', undefined);
      return;
    }
    if (this.published !== stream) throw new EmulatedRtcError(INVALID_OPERATION, 'stream has not been published yet');
    this.published = null;
    stream.publishedOn = null;
    this.member?.setTracks({ audio: undefined, video: undefined });
  }

  /** Receives a remote stream's tracks; fires `stream-subscribed` when they are connected. */
  async subscribe(stream: EmulatedRemoteStream, options: { audio?: boolean; video?: boolean } = {}): Promise<void> {
    const streams = stream.getType() === 'auxiliary' ? this.remoteAux : this.remoteStreams;
    if (!this.member || streams.get(stream.getUserId()) !== stream)
      throw new EmulatedRtcError(INVALID_OPERATION, 'the remote stream is not in this room');
    stream.subscribed = { audio: options.audio ?? true, video: options.video ?? true };
    await this.connect(stream);
    if (streams.get(stream.getUserId()) === stream) this.fire('stream-subscribed', { stream });
  }

  async unsubscribe(stream: EmulatedRemoteStream): Promise<void> {
    stream.subscribed = undefined;
    stream.disconnect();
  }

  /**
   * As the SDK: every `interval` ms (at least 16; 2000 unless told; ≤ 0 turns it off) fires `audio-volume`
   * `{ result: [{ userId, audioVolume, stream }] }`: the published LocalStream under the client's own userId, then
   * each subscribed remote stream, `audioVolume` = `Math.floor(100 * stream.getAudioLevel())` (0 for a stream whose
   * audio is not played).
   */
  enableAudioVolumeEvaluation(interval = 2000, _enableInBackground = false): void {
    if (typeof interval !== 'number' || Number.isNaN(interval))
      throw new EmulatedRtcError(INVALID_PARAMETER, 'interval must be a number.');
    this.stopVolumeEvaluation?.();
    this.stopVolumeEvaluation = undefined;
    if (interval <= 0) return;
    this.stopVolumeEvaluation = everyInterval(Math.floor(Math.max(interval, 16)), () => {
      const volume = (stream: EmulatedStream) => Math.floor(100 * stream.getAudioLevel());
      const result: Array<{ userId: string; audioVolume: number; stream: EmulatedStream }> = [];
      if (this.published)
        result.push({ userId: this.config.userId, audioVolume: volume(this.published), stream: this.published });
      for (const stream of this.remoteStreams.values())
        if (stream.subscribed) result.push({ userId: stream.getUserId(), audioVolume: volume(stream), stream });
      this.fire('audio-volume', { result });
    });
  }

  /** As the SDK: what it published and received stops before it leaves, so the others hear stream-removed first. */
  override async leave(): Promise<void> {
    this.leaveMedia();
    await super.leave();
  }

  override destroy(): void {
    this.stopVolumeEvaluation?.();
    this.stopVolumeEvaluation = undefined;
    this.leaveMedia();
    super.destroy();
  }

  /** Out of the room by any path (left, removed, lost): everything published or received stops. */
  protected override fire(event: string, payload: any): void {
    if (event === 'connection-state-changed' && payload?.state === 'DISCONNECTED') this.leaveMedia();
    super.fire(event, payload);
  }

  private leaveMedia(): void {
    const member = this.member;
    this.member = null;
    this.stopNetworkQuality?.();
    this.stopNetworkQuality = undefined;
    if (this.published) this.published.publishedOn = null;
    this.published = this.publishedAux = null;
    member?.exit();
    // As the SDK's reset() (a leave, a ban, a fatal error): closeConnections() closes each DownlinkConnection,
    // which fires stream-removed for each remote stream it had announced (trtc.esm.js, DownlinkConnection.close).
    const streams = [...this.remoteStreams.values(), ...this.remoteAux.values()];
    this.remoteStreams.clear();
    this.remoteAux.clear();
    for (const stream of streams) {
      stream.stop();
      stream.disconnect();
      if (member) this.fire('stream-removed', { stream });
    }
  }

  /** A user's screen share as their auxiliary RemoteStream: added, received (autoSubscribe) and removed on its own. */
  private onScreenPublished(userId: string, screen: boolean): void {
    let stream = this.remoteAux.get(userId);
    if (screen && !stream) {
      stream = new EmulatedRemoteStream(userId, 'auxiliary');
      stream.publication = { ...NOTHING_PUBLISHED, screen: true };
      this.remoteAux.set(userId, stream);
      this.fire('stream-added', { stream });
      if ((this.config as { autoSubscribe?: boolean }).autoSubscribe !== false) {
        stream.subscribed = { audio: false, video: true };
        void this.connect(stream).catch((error) =>
          console.warn(`trtc-room emulator: receiving ${userId}'s screen failed:`, error),
        );
      }
    } else if (!screen && stream) {
      this.remoteAux.delete(userId);
      stream.stop();
      stream.disconnect();
      this.fire('stream-removed', { stream });
    }
  }

  private onPublished(userId: string, publication: Publication): void {
    if (!this.member) return;
    this.onScreenPublished(userId, !!publication.screen);
    const has = publication.audio || publication.video;
    let stream = this.remoteStreams.get(userId);
    if (!stream) {
      if (!has) return;
      stream = new EmulatedRemoteStream(userId);
      stream.publication = publication;
      this.remoteStreams.set(userId, stream);
      this.fire('stream-added', { stream });
      this.fire(publication.audio && !publication.audioMuted ? 'unmute-audio' : 'mute-audio', { userId });
      this.fire(publication.video && !publication.videoMuted ? 'unmute-video' : 'mute-video', { userId });
      // As the SDK's autoSubscribe: it receives the stream but fires no stream-subscribed (only a client.subscribe() does).
      if ((this.config as { autoSubscribe?: boolean }).autoSubscribe !== false) {
        stream.subscribed = { audio: true, video: true };
        void this.connect(stream).catch((error) =>
          console.warn(`trtc-room emulator: receiving ${userId}'s stream failed:`, error),
        );
      }
      return;
    }
    const previous = stream.publication;
    stream.publication = publication;
    if (!has) {
      // The SDK stops the stream itself before it fires stream-removed.
      this.remoteStreams.delete(userId);
      stream.stop();
      stream.disconnect();
      this.fire('stream-removed', { stream });
      return;
    }
    if (previous.audio !== publication.audio || previous.video !== publication.video) {
      if (stream.subscribed)
        void this.connect(stream).then(
          () => this.fire('stream-updated', { stream }),
          () => undefined,
        );
      else this.fire('stream-updated', { stream });
    } else if (
      stream.subscribed &&
      (['audio', 'video'] as const).some((kind) => stream.links[kind]?.closed && publication[kind])
    ) {
      // A track replaced (LocalStream.replaceTrack): trtc-js-sdk's sender swaps it on the same transceiver and the
      // subscriber hears nothing. The relay links tracks, not transceivers: the closed link is made again, silently.
      void this.connect(stream).catch((error) =>
        console.warn(`trtc-room emulator: receiving ${userId}'s replaced track failed:`, error),
      );
    }
    const availableBefore = {
      audio: previous.audio && !previous.audioMuted,
      video: previous.video && !previous.videoMuted,
    };
    const availableNow = {
      audio: publication.audio && !publication.audioMuted,
      video: publication.video && !publication.videoMuted,
    };
    for (const kind of ['audio', 'video'] as const) {
      if (availableBefore[kind] !== availableNow[kind])
        this.fire(`${availableNow[kind] ? 'unmute' : 'mute'}-${kind}`, { userId });
    }
  }

  /** Brings the stream's links in line with what is published and subscribed. */
  private async connect(stream: EmulatedRemoteStream): Promise<void> {
    const member = this.member;
    if (!member) return;
    if (stream.getType() === 'auxiliary') {
      // The screen comes over one link of its own (kind `screen`) and plays as the stream's video; a subscribe()
      // while the SDK's own (autoSubscribe) is under way waits for it.
      if (stream.links.video && !stream.links.video.closed) return;
      let connecting = this.auxConnecting.get(stream);
      if (!connecting) {
        connecting = (async () => {
          const link = await member.subscribe(stream.getUserId(), 'screen');
          if (this.member !== member || this.remoteAux.get(stream.getUserId()) !== stream) {
            link.close();
            return;
          }
          stream.links.video = link;
          stream.setTrack('video', link.track);
        })().finally(() => this.auxConnecting.delete(stream));
        this.auxConnecting.set(stream, connecting);
      }
      return connecting;
    }
    const wanted = stream.subscribed ?? { audio: false, video: false };
    const kinds = (['audio', 'video'] as const).filter((kind) => wanted[kind] && stream.publication[kind]);
    stream.disconnect((['audio', 'video'] as const).filter((kind) => !kinds.includes(kind)));
    await Promise.all(
      kinds.map((kind) => {
        // One subscription of a kind at a time: a second connect() (the app's subscribe() beside autoSubscribe,
        // an update meanwhile) waits for the one under way instead of opening another.
        const pending = stream.linking[kind] ?? this.link(stream, kind, member);
        if (!stream.linking[kind]) {
          stream.linking[kind] = pending;
          void pending
            .finally(() => {
              if (stream.linking[kind] === pending) delete stream.linking[kind];
            })
            .catch(() => undefined); // the rejection is the caller's, through `pending`
        }
        return pending;
      }),
    );
  }

  /** Links `kind` of the stream, made again if the publisher swaps that track meanwhile. */
  private async link(stream: EmulatedRemoteStream, kind: 'audio' | 'video', member: PlaneMember): Promise<void> {
    const ours = () => this.member === member && this.remoteStreams.get(stream.getUserId()) === stream;
    for (let attempt = 1; ; attempt++) {
      const current = stream.links[kind];
      if (current && !current.closed) return;
      let link: MediaLink;
      try {
        link = await member.subscribe(stream.getUserId(), kind);
      } catch (error) {
        // trtc-js-sdk receives a user over one downlink connection, whose tracks the server adds and removes
        // as the publisher does (DownlinkConnection.onRemoteStreamUpdate → handleRemoteAddTrack /
        // handleRemoteRemoveTrack → stream-updated): a track swapped while it is being subscribed is an update
        // of that connection, never a failed subscription. The relay links each track on its own, so the
        // link is made again to the new track, once what the publisher announced meanwhile has arrived.
        await new Promise((resolve) => setTimeout(resolve));
        const stillWanted = ours() && stream.subscribed?.[kind] === true && stream.publication[kind];
        if (!stillWanted) return;
        if (attempt < RELINK_ATTEMPTS) continue;
        throw error;
      }
      if (!ours()) {
        link.close();
        return;
      }
      stream.links[kind]?.close();
      stream.links[kind] = link;
      stream.setTrack(kind, link.track);
      return;
    }
  }
}
