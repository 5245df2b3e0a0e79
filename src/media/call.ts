// Loaded at the first join, with visit.ts: nothing here is needed before a room is entered.
import type { MediaWish, RoomConfig } from '../config.js';
import type { ErrorDetail, SessionEmit } from '../events.js';
import {
  DeviceError,
  messageOf,
  type ConnectionMedia,
  type LocalDevice,
  type MediaHandlers,
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
  /** This tile is the user's screen share (shown first, across the grid), not their camera. */
  screen?: boolean;
  /** The container the SDK plays into; kept across renders, so the SDK's own <video> stays in it. */
  view: HTMLElement;
}

const DEVICES: readonly LocalDevice[] = ['camera', 'microphone', 'screen'];

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
  private working = false;

  constructor(
    private readonly config: RoomConfig,
    wish: MediaWish,
    private readonly emit: SessionEmit,
    private readonly changed: () => void,
  ) {
    this.wish = wish;
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
    this.changed();
    this.converge();
  }

  /** In the room: what is captured is published. */
  joined(): void {
    this.inRoom = true;
    this.converge();
  }

  /** The latest wish; a device wished again after a failure is tried again. */
  setWish(wish: MediaWish): void {
    for (const device of DEVICES) if (wish[device]) this.failed[device] = false;
    this.wish = wish;
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
        view: this.viewOf(local),
      });
    for (const [userId, { audio, video }] of this.remote)
      all.push({ userId, local: false, audio, video, speaking: this.speakers.has(userId), view: this.viewOf(userId) });
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
      if (!this.released && this.inRoom && DEVICES.some((device) => this.wanted(device) !== this.captured[device]))
        this.converge();
    });
  }

  private async run(media: ConnectionMedia): Promise<void> {
    for (;;) {
      const device = DEVICES.find((d) => this.wanted(d) !== this.captured[d]);
      if (!device || this.released) break;
      if (this.captured[device]) {
        // A failed stop has nothing for the app to act on: the adapters end the track before anything can fail.
        await media.stopLocal(device).catch(() => undefined);
        this.captured[device] = false;
        if (device === 'microphone') this.stopSpeaking((speaker) => speaker === this.config.userId);
      } else {
        try {
          await media.startLocal(device, device === 'camera' ? this.viewOf(this.config.userId) : null);
          this.captured[device] = true;
        } catch (error) {
          this.failed[device] = true;
          // A share that did not start is not wished any more: `screen` goes back to false (the toggle too).
          if (device === 'screen') this.wish.screen = false;
          if (!this.released) this.deviceFailed(device, error);
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

  private deviceFailed(device: LocalDevice, error: unknown): void {
    const name =
      error instanceof DeviceError ? error.domName : String((error as { name?: unknown })?.name ?? 'UnknownError');
    const cause = error instanceof DeviceError ? error.sdkError : error;
    const detail: ErrorDetail = {
      code: 'media-failed',
      field: device,
      name,
      message: `The ${device} could not be turned on (${name}): ${(device === 'screen' && name === 'NotAllowedError' ? SCREEN_REFUSED : ADVICE[name]) ?? 'it failed to start; turn it on again to retry'}.`,
      cause,
    };
    this.emit('error', detail);
  }
}
