// Loaded at the first join, with visit.ts: nothing here is needed before a room is entered.
import type { MediaWish, RoomConfig } from '../config.js';
import type { Capabilities, DeviceFallbackDetail, DeviceLists, ErrorDetail, SessionEmit } from '../events.js';
import {
  DeviceError,
  messageOf,
  type ConnectionMedia,
  type LocalDevice,
  type MediaHandlers,
  type NetworkQuality,
  type RemoteMedia,
} from '../sdk/adapter.js';
import { SPEAKING, SpeakingDetector } from './speaking.js';

/** One person in the call, as the tiles show them. */
export interface Participant {
  userId: string;
  local: boolean;
  /** Publishes live audio (the local user: the microphone is on). */
  audio: boolean;
  /** Publishes video (a video plays in the view). */
  video: boolean;
  /** Speaking now (only while speaking is watched: `watchSpeaking(true)`). */
  speaking: boolean;
  /** The SDK rates this user's network poor or worse now (see POOR_NETWORK). */
  poorNetwork: boolean;
  /** This tile is the user's screen share (shown first, across the grid), not their camera. */
  screen?: boolean;
  /** The container the SDK plays into; kept across renders, so the SDK's own <video> stays in it. */
  view: HTMLElement;
}

const DEVICES: readonly LocalDevice[] = ['camera', 'microphone', 'screen'];
/** The captured devices an input chooses (the screen is chosen in the browser's picker, not by deviceId). */
type ChosenDevice = Exclude<LocalDevice, 'screen'>;
const CHOSEN_DEVICES: readonly ChosenDevice[] = ['camera', 'microphone'];
const isChosen = (device: LocalDevice): device is ChosenDevice => device !== 'screen';

/** A device the element chooses: a captured one, or the speaker. */
export type DeviceKind = DeviceFallbackDetail['kind'];
/** The input that chooses each kind's device. */
const ID_INPUT = { camera: 'cameraId', microphone: 'microphoneId', speaker: 'speakerId' } as const;
/** Each kind's list in `devices`. */
export const LIST_OF = { camera: 'cameras', microphone: 'microphones', speaker: 'speakers' } as const;
const LIST_OF_BROWSER_KIND: Record<string, keyof DeviceLists> = {
  videoinput: 'cameras',
  audioinput: 'microphones',
  audiooutput: 'speakers',
};

/** Where the browser can play audio on a chosen speaker (both SDKs' players check for it the same way). */
export const canChooseSpeaker = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * What this browser can do, by feature detection: a speaker can be chosen (`setSinkId`), the screen shared
 * (`getDisplayMedia`: desktop browsers), with its audio (Chromium, the only engine that captures a tab's or the
 * system's audio, is the one that knows the `suppressLocalAudioPlayback` constraint of such captures).
 */
export function detectCapabilities(): Capabilities {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  const screenShare = typeof media?.getDisplayMedia === 'function';
  const known = media?.getSupportedConstraints?.() as Record<string, boolean | undefined> | undefined;
  return {
    speakerSelection: canChooseSpeaker(),
    screenShare,
    screenShareAudio: screenShare && !!known?.suppressLocalAudioPlayback,
  };
}

/** What the visit gives the call beyond its events: where the page's device lists are kept (the element reads them). */
export interface DeviceStore {
  devices?: DeviceLists;
}

/**
 * A user's network is poor while the SDK rates their uplink or downlink 3 (POOR: trtc-js-sdk's
 * `getNetworkQuality` gives it past 20 % loss or 200 ms round trip) or worse, 6 (DISCONNECTED) included;
 * 0 (UNKNOWN, nothing measured yet) is not poor.
 */
export const POOR_NETWORK = 3;

export const isPoorNetwork = (quality: Pick<NetworkQuality, 'uplink' | 'downlink'>): boolean =>
  quality.uplink >= POOR_NETWORK || quality.downlink >= POOR_NETWORK;

/** A sentence a person can act on, per DOMException name. */
const ADVICE: Record<string, string> = {
  NotAllowedError:
    'permission was denied: allow it in the browser (the address bar or site settings), then turn it on again',
  NotFoundError: 'no such device was found: connect one, then turn it on again',
  NotReadableError:
    'the device is in use by another application or could not be started: close the other application, then turn it on again',
  OverconstrainedError:
    'the device cannot satisfy the requested settings: choose another device, then turn it on again',
  NotSupportedError: 'this page cannot use devices: serve it over https (or from localhost)',
};
/** A refused or cancelled screen picker is NotAllowedError too, and needs other words. */
const SCREEN_REFUSED = 'the screen picker was cancelled or sharing is blocked: share again and choose a screen';

const SPEAKER_ADVICE: Record<string, string> = {
  NotFoundError: 'no such speaker was found: choose one from `devices.speakers`',
  NotSupportedError: 'this browser plays audio only on its default speaker (`capabilities.speakerSelection` is false)',
  NotAllowedError: 'the browser refused: choose the speaker from a click',
};

/**
 * The media of one visit: captures and releases the wanted devices (one SDK call at a time, converging to the
 * latest wish), publishes them once in the room, tracks who is in the call and what they publish, and renders
 * the tiles. Nothing outlives `release()`: the tracks it captured end, and the views it made are dropped.
 */
export class CallMedia {
  private media: ConnectionMedia | undefined;
  private wish: MediaWish;
  /** What is captured now. */
  private readonly captured: Record<LocalDevice, boolean> = { camera: false, microphone: false, screen: false };
  /** Wanted but failed: not retried until wished again. */
  private readonly failed: Record<LocalDevice, boolean> = { camera: false, microphone: false, screen: false };
  /** What was last reported as published (`local-media`). */
  private published: Record<LocalDevice, boolean> = { camera: false, microphone: false, screen: false };
  private readonly remote = new Map<string, RemoteMedia>();
  private readonly views = new Map<string, HTMLElement>();
  /** Remote users' screen shares play here, apart from their cameras. */
  private readonly screenViews = new Map<string, HTMLElement>();
  private readonly speakers = new SpeakingDetector();
  private watchingSpeaking = false;
  /** The browser refuses to play remote audio until `resumeAudio()` (from a click). */
  audioBlocked = false;
  private inRoom = false;
  private released = false;
  /** The local user's network, as the SDK last rated it. */
  private poorNetwork = false;
  private working = false;
  /** The choice (`cameraId`, `microphoneId`) each captured device is on now; '' for the default. */
  private readonly on: Record<ChosenDevice, string> = { camera: '', microphone: '' };
  /** A chosen device that went away: the element fell back from it, and does not take it again until chosen again. */
  private readonly fellBack: Partial<Record<DeviceKind, string>> = {};
  /** A choice the switch to failed (the device stays on the one it had): not tried again until chosen again. */
  private readonly switchFailed: Partial<Record<ChosenDevice, string>> = {};
  /** The device each kind fell back from, until the switch to the default is done (then `device-fallback`). */
  private readonly fallingBack: Partial<Record<ChosenDevice, string>> = {};
  /** The speaker chosen through the SDK, once one is. */
  private speakerOn = '';

  constructor(
    private readonly config: RoomConfig,
    wish: MediaWish = { camera: false, microphone: false },
    private readonly emit: SessionEmit,
    private readonly changed: () => void,
    private readonly store: DeviceStore = {},
  ) {
    this.wish = wish;
  }

  /** The devices the browser offers (empty lists until permission lets the browser name them). */
  get devices(): DeviceLists {
    return (this.store.devices ??= { cameras: [], microphones: [], speakers: [] });
  }

  /** The device `kind` should be on: the input's, unless it fell back from it ('' for the default). */
  private chosen(kind: DeviceKind): string {
    const id = this.wish[ID_INPUT[kind]] ?? '';
    return id === this.fellBack[kind] ? '' : id;
  }

  /** The system default of `kind` as the browser lists it (its `default` entry, else the first), or ''. */
  private defaultId(kind: DeviceKind): string {
    const list = this.devices[LIST_OF[kind]];
    return (list.find(({ deviceId }) => deviceId === 'default') ?? list[0])?.deviceId ?? '';
  }

  /** The deviceId `kind` is on now, as far as it is known (for the device menu's mark); '' if unknown. */
  inUse(kind: DeviceKind): string {
    if (kind === 'speaker') return this.speakerOn || this.defaultId(kind);
    if (!this.captured[kind]) return this.chosen(kind) || this.defaultId(kind);
    return this.on[kind] || this.media?.track?.(kind)?.getSettings().deviceId || this.defaultId(kind);
  }

  /** What the adapter reports, for `connect()`. */
  readonly handlers: MediaHandlers = {
    onRemoteMedia: (userId, media) => {
      const before = this.remote.get(userId);
      // Nothing published by a user not (or no longer) in the call: an unpublish after their peer-leave.
      if (this.released || (!before && !media.audio && !media.video && !media.screen)) return;
      this.remote.set(userId, media);
      if (!media.screen) this.screenViews.delete(userId);
      if (!before || before.audio !== media.audio || before.video !== media.video || before.screen !== media.screen) {
        this.emit('peer-media', { userId, ...media });
        if (!media.audio) this.stopSpeaking((speaker) => speaker === userId);
        this.changed();
      }
    },
    onAutoplayBlocked: () => {
      if (this.released) return;
      this.audioBlocked = true;
      this.emit('autoplay-blocked', {});
      this.changed();
    },
    // The SDK played it by itself (trtc-sdk-v5 resumes on any click): the unblock button has nothing left to do.
    onAutoplayResumed: () => {
      if (this.released || !this.audioBlocked) return;
      this.audioBlocked = false;
      this.changed();
    },
    onPublishFailed: (error, device) => this.publishFailed(error, device),
    viewFor: (userId, screen) => (screen ? this.viewOf(userId, this.screenViews) : this.viewOf(userId)),
    onScreenEnded: () => this.screenEnded(),
    onVolumes: (volumes) => {
      if (this.released || !this.watchingSpeaking) return;
      const present = volumes.filter(({ userId }) => this.audible(userId));
      const changes = this.speakers.update(present, performance.now());
      for (const [userId, speaking] of changes) this.emit('speaking-change', { userId, speaking });
      if (changes.length) this.changed();
    },
    sdkAutoplayDialog: () => !this.wish.controls,
  };

  /** Whether `userId` is in the call with live audio now (a speaking user who loses it stops speaking). */
  private audible(userId: string): boolean {
    if (userId === this.config.userId) return this.captured.microphone && this.canPublish;
    return !!this.remote.get(userId)?.audio;
  }

  /**
   * Speaking is watched (the SDK's volume evaluation on) while the element shows its controls: `speaking` on the
   * tiles and `speaking-change` events. Off, every speaker stops speaking.
   */
  watchSpeaking(on: boolean): void {
    if (this.released || on === this.watchingSpeaking) return;
    this.watchingSpeaking = on;
    this.media?.watchVolume?.(on ? SPEAKING.intervalMs : 0);
    if (!on) this.stopSpeaking(() => true);
  }

  /** Ends the speaking of the users `which` picks, with their `speaking-change` events. */
  private stopSpeaking(which: (userId: string) => boolean): void {
    for (const userId of this.speakers.speaking) {
      if (!which(userId)) continue;
      this.speakers.forget(userId);
      this.emit('speaking-change', { userId, speaking: false });
    }
  }

  /**
   * The browser's own "Stop sharing" ended the share (the SDK says so): `screen` goes back to false on the
   * element (the wish is the element), and the share is unpublished and released, which `local-media` reports.
   */
  private screenEnded(): void {
    if (this.released || !this.captured.screen) return;
    this.wish.screen = false;
    this.converge();
  }

  /** Publishing is for rtc members and live anchors; a live audience's camera and microphone are ignored. */
  private get canPublish(): boolean {
    return this.config.mode !== 'live' || this.config.role !== 'audience';
  }

  /** Starts on the connection: capture begins now, while the join is under way. */
  attach(media: ConnectionMedia): void {
    this.media = media;
    if (this.watchingSpeaking) media.watchVolume?.(SPEAKING.intervalMs);
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    void this.refreshDevices(false);
    this.chooseSpeaker();
    this.changed();
    this.converge();
  }

  private readonly onDeviceChange = () => void this.refreshDevices(true);

  /**
   * Reads the browser's devices (after `devicechange`, or a capture that gave permission): `devices-change` when
   * the browser said so or the lists changed; then a device in use that went away is left for the default.
   */
  private async refreshDevices(fromBrowser: boolean): Promise<void> {
    let all: MediaDeviceInfo[];
    try {
      all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    } catch {
      return; // no list to give: the lists stay as they were
    }
    if (this.released) return;
    const lists: DeviceLists = { cameras: [], microphones: [], speakers: [] };
    const speakers = canChooseSpeaker();
    for (const { kind, deviceId, label } of all) {
      const list = LIST_OF_BROWSER_KIND[kind];
      // No label: the page has no permission yet, and the entry names no device.
      if (list && label && (list !== 'speakers' || speakers)) lists[list].push({ deviceId, label });
    }
    const news = JSON.stringify(lists) !== JSON.stringify(this.devices);
    this.store.devices = lists;
    if (news || fromBrowser) this.emit('devices-change', lists);
    if (news) this.changed();
    this.leaveGoneDevices();
  }

  /** A device in use that is no longer listed (or whose track ended) is left for the default, never kept published dead. */
  private leaveGoneDevices(): void {
    for (const device of CHOSEN_DEVICES) {
      if (!this.captured[device] || !this.wanted(device)) continue;
      const track = this.media?.track?.(device);
      const inUse = this.on[device] || track?.getSettings().deviceId || '';
      const list = this.devices[LIST_OF[device]];
      // An empty list says nothing (no permission to name devices): then only an ended track tells.
      const listed = !inUse || !list.length || list.some(({ deviceId }) => deviceId === inUse);
      if (track?.readyState !== 'ended' && listed) continue;
      const chosen = this.wish[ID_INPUT[device]];
      if (chosen) this.fellBack[device] = chosen;
      this.fallingBack[device] = inUse;
      delete this.switchFailed[device];
      // Still on the gone device: the switch to the default follows (converge), or a stop if there is none.
      this.on[device] = inUse || 'gone';
      if (!list.length) this.fail(device, new DOMException(`No ${device} is left.`, 'NotFoundError'));
    }
    this.converge();
  }

  /** Sets the speaker (from the input, in the task that set it: the user gesture of a menu click). */
  private chooseSpeaker(): void {
    const media = this.media;
    const id = this.chosen('speaker');
    if (!media?.setSpeaker || this.released || id === this.speakerOn) return;
    this.speakerOn = id;
    const failed = (name: string) => this.deviceFailed('speaker', new DOMException(`Speaker ${id}.`, name));
    if (!canChooseSpeaker()) return failed('NotSupportedError');
    const speakers = this.devices.speakers;
    if (id && speakers.length && !speakers.some(({ deviceId }) => deviceId === id)) return failed('NotFoundError');
    media.setSpeaker(id || this.defaultId('speaker')).catch((error: unknown) => {
      if (!this.released) this.deviceFailed('speaker', error);
    });
  }

  /** In the room: what is captured is published. */
  joined(): void {
    this.inRoom = true;
    this.converge();
  }

  /**
   * The latest wish (`changed`: the inputs set since the last one); a device wished again after a failure is
   * tried again, and a device chosen again is taken again (after a fallback, or a failed switch).
   */
  setWish(wish: MediaWish, changed?: { has(key: string): boolean }): void {
    for (const device of DEVICES) {
      if (wish[device] && (!changed || changed.has(device))) this.failed[device] = false;
    }
    for (const kind of ['camera', 'microphone', 'speaker'] as const) {
      if (changed?.has(ID_INPUT[kind])) {
        delete this.fellBack[kind];
        if (kind !== 'speaker') delete this.switchFailed[kind];
      }
    }
    this.wish = wish;
    this.chooseSpeaker();
    this.converge();
  }

  peerJoined(userId: string): void {
    if (this.released || this.remote.has(userId)) return;
    this.remote.set(userId, { audio: false, video: false, screen: false });
    this.changed();
  }

  peerLeft(userId: string): void {
    if (!this.remote.delete(userId)) return;
    this.views.delete(userId);
    this.screenViews.delete(userId);
    this.stopSpeaking((speaker) => speaker === userId);
    this.changed();
  }

  /** The SDK's rating of the local user's network: reported (`network-quality`), and shown on their tile. */
  networkQuality(quality: NetworkQuality): void {
    if (this.released) return;
    this.emit('network-quality', { userId: this.config.userId, ...quality });
    const poor = isPoorNetwork(quality);
    if (poor === this.poorNetwork) return;
    this.poorNetwork = poor;
    this.changed();
  }

  /** Plays what the browser blocked; once it plays, the call no longer reports audio as blocked. */
  async resumeAudio(): Promise<void> {
    await this.media?.resume();
    if (this.audioBlocked && !this.released) {
      this.audioBlocked = false;
      this.changed();
    }
  }

  /** Ends everything at once: tracks stopped, players removed, listeners off (through the adapter), tiles gone. */
  release(): void {
    if (this.released) return;
    this.stopSpeaking(() => true);
    this.released = true;
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.audioBlocked = false;
    this.media?.release();
    this.captured.camera = this.captured.microphone = this.captured.screen = false;
    this.remote.clear();
    this.views.clear();
    this.screenViews.clear();
    this.reportPublished();
    this.changed();
  }

  /** Released: the call is over, and shows nothing. */
  get ended(): boolean {
    return this.released;
  }

  /**
   * Who is in the call, as the tiles show them: remote users' screen shares first, then the local user (unless a
   * live audience), then remote users in join order. The local screen share has no tile: a preview of one's own
   * screen shows the screen inside itself.
   */
  participants(): Participant[] {
    if (this.released) return [];
    const all: Participant[] = [];
    for (const [userId, media] of this.remote)
      if (media.screen)
        all.push({
          userId,
          local: false,
          screen: true,
          audio: media.audio,
          video: true,
          speaking: false,
          poorNetwork: false,
          view: this.viewOf(userId, this.screenViews),
        });
    const local = this.config.userId;
    if (this.canPublish)
      all.push({
        userId: local,
        local: true,
        audio: this.captured.microphone,
        video: this.captured.camera,
        speaking: this.speakers.has(local),
        poorNetwork: this.poorNetwork,
        view: this.viewOf(local),
      });
    for (const [userId, { audio, video }] of this.remote)
      all.push({
        userId,
        local: false,
        audio,
        video,
        speaking: this.speakers.has(userId),
        // No SDK reports a remote user's quality (src/events.ts, NetworkQualityDetail).
        poorNetwork: false,
        view: this.viewOf(userId),
      });
    return all;
  }

  private viewOf(userId: string, views = this.views): HTMLElement {
    let view = views.get(userId);
    if (!view) {
      view = document.createElement('div');
      view.className = 'view';
      views.set(userId, view);
    }
    return view;
  }

  private wanted(device: LocalDevice): boolean {
    return !!this.wish[device] && this.canPublish && !this.failed[device];
  }

  /** One device operation at a time, until what is captured (and published) is what is wanted. */
  private converge(): void {
    if (this.working || !this.media || this.released) return;
    this.working = true;
    void this.run(this.media).finally(() => {
      this.working = false;
      if (!this.released && this.inRoom && this.next()) this.converge();
    });
  }

  /** The next device operation due: a device to turn on or off, else one to switch to another device. */
  private next(): { device: LocalDevice; switchTo?: never } | { device: ChosenDevice; switchTo: string } | undefined {
    const onOff = DEVICES.find((d) => this.wanted(d) !== this.captured[d]);
    if (onOff) return { device: onOff };
    for (const device of CHOSEN_DEVICES) {
      const id = this.chosen(device);
      if (this.captured[device] && id !== this.on[device] && this.switchFailed[device] !== id)
        return { device, switchTo: id };
    }
    return undefined;
  }

  private async run(media: ConnectionMedia): Promise<void> {
    for (;;) {
      const step = this.next();
      if (!step || this.released) break;
      const { device } = step;
      if (step.switchTo !== undefined) {
        await this.switchDevice(media, step.device, step.switchTo);
      } else if (this.captured[device]) {
        // A failed stop has nothing for the app to act on: the adapters end the track before anything can fail.
        await media.stopLocal(device).catch(() => undefined);
        this.captured[device] = false;
        if (device === 'microphone') this.stopSpeaking((speaker) => speaker === this.config.userId);
      } else {
        const id = isChosen(device) ? this.chosen(device) : '';
        try {
          await media.startLocal(device, device === 'camera' ? this.viewOf(this.config.userId) : null, id);
          this.captured[device] = true;
          if (isChosen(device)) this.on[device] = id;
          // Permission is granted now: the browser names its devices.
          void this.refreshDevices(false);
        } catch (error) {
          this.fail(device, error);
        }
      }
      if (this.released) {
        // Released while this capture was under way: the adapter's release() came before it.
        media.release();
        return;
      }
      this.changed();
    }
    if (!this.inRoom || this.released) return;
    try {
      await media.publish();
    } catch (error) {
      this.publishFailed(error);
    }
    this.reportPublished();
  }

  /** A failed capture: not retried until wished again. */
  private fail(device: LocalDevice, error: unknown): void {
    this.failed[device] = true;
    // A share that did not start is not wished any more: `screen` goes back to false (the toggle too).
    if (device === 'screen') this.wish.screen = false;
    else delete this.fallingBack[device];
    if (!this.released) this.deviceFailed(device, error);
  }

  /**
   * Moves a captured device to the one chosen ('' : the default) through the SDK's own switch; the other device
   * and what is published go on. A failed switch leaves the device on the one it had (the SDKs recapture it),
   * except a fallback from a device that went away: then the device stops.
   */
  private async switchDevice(media: ConnectionMedia, device: ChosenDevice, id: string): Promise<void> {
    const from = this.fallingBack[device];
    try {
      if (!media.switchDevice) throw new DOMException('This SDK cannot switch devices.', 'NotSupportedError');
      await media.switchDevice(device, id || this.defaultId(device));
      this.on[device] = id;
      delete this.fallingBack[device];
      if (from !== undefined && !this.released)
        this.emit('device-fallback', { kind: device, from, to: this.inUse(device) });
    } catch (error) {
      if (from !== undefined) return this.fail(device, error);
      this.switchFailed[device] = id;
      if (!this.released) this.deviceFailed(device, error, true);
    }
  }

  /** A publish the SDK refused (v4: `publish()` rejected; v5: PUBLISH_STATE_CHANGED with an error): media-failed. */
  private publishFailed(error: unknown, device?: LocalDevice): void {
    if (this.released) return;
    this.emit('error', {
      code: 'media-failed',
      message: `Publishing failed: ${messageOf(error, 'unknown error')}`,
      ...(device ? { field: device } : {}),
      cause: error,
    });
  }

  private reportPublished(): void {
    const on = !this.released && this.inRoom;
    const now = {
      camera: on && this.captured.camera,
      microphone: on && this.captured.microphone,
      screen: on && this.captured.screen,
    };
    if (DEVICES.every((device) => now[device] === this.published[device])) return;
    this.published = now;
    this.emit('local-media', { ...now });
  }

  private deviceFailed(device: DeviceKind | LocalDevice, error: unknown, switching = false): void {
    const name =
      error instanceof DeviceError ? error.domName : String((error as { name?: unknown })?.name ?? 'UnknownError');
    const cause = error instanceof DeviceError ? error.sdkError : error;
    const advice = device === 'screen' && name === 'NotAllowedError' ? SCREEN_REFUSED : ADVICE[name];
    const what =
      device === 'speaker'
        ? `The speaker could not be chosen (${name}): ${SPEAKER_ADVICE[name] ?? 'choose it again to retry'}.`
        : switching
          ? `The ${device} could not switch to the chosen device (${name}); it stays on the one it had: ${advice ?? 'choose it again to retry'}.`
          : `The ${device} could not be turned on (${name}): ${advice ?? 'it failed to start; turn it on again to retry'}.`;
    const detail: ErrorDetail = { code: 'media-failed', field: device, name, message: what, cause };
    this.emit('error', detail);
  }
}
