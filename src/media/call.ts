// Loaded at the first join, with visit.ts: nothing here is needed before a room is entered.
import type { Layout, MediaWish, RoomConfig } from '../config.js';
import type { ErrorDetail, SessionEmit } from '../events.js';
import { DeviceError, messageOf, type ConnectionMedia, type LocalDevice, type MediaHandlers } from '../sdk/adapter.js';
import { renderTiles, type HtmlTag, type Tile } from './tiles.js';

const DEVICES: readonly LocalDevice[] = ['camera', 'microphone'];

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

/**
 * The media of one visit: captures and releases the wanted devices (one SDK call at a time, converging to the
 * latest wish), publishes them once in the room, tracks who is in the call and what they publish, and renders
 * the tiles. Nothing outlives `release()`: the tracks it captured end, and the views it made are dropped.
 */
export class CallMedia {
  private media: ConnectionMedia | undefined;
  private wish: MediaWish;
  /** What is captured now. */
  private readonly captured: Record<LocalDevice, boolean> = { camera: false, microphone: false };
  /** Wanted but failed: not retried until wished again. */
  private readonly failed: Record<LocalDevice, boolean> = { camera: false, microphone: false };
  /** What was last reported as published (`local-media`). */
  private published: MediaWish = { camera: false, microphone: false };
  private readonly remote = new Map<string, { audio: boolean; video: boolean }>();
  private readonly views = new Map<string, HTMLElement>();
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
      if (this.released || (!before && !media.audio && !media.video)) return;
      this.remote.set(userId, media);
      if (!before || before.audio !== media.audio || before.video !== media.video) {
        this.emit('peer-media', { userId, ...media });
        this.changed();
      }
    },
    onAutoplayBlocked: () => {
      if (!this.released) this.emit('autoplay-blocked', {});
    },
    onPublishFailed: (error, device) => this.publishFailed(error, device),
    viewFor: (userId) => this.viewOf(userId),
  };

  /** Publishing is for rtc members and live anchors; a live audience's camera and microphone are ignored. */
  private get canPublish(): boolean {
    return this.config.mode !== 'live' || this.config.role !== 'audience';
  }

  /** Starts on the connection: capture begins now, while the join is under way. */
  attach(media: ConnectionMedia): void {
    this.media = media;
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
    this.remote.set(userId, { audio: false, video: false });
    this.changed();
  }

  peerLeft(userId: string): void {
    if (!this.remote.delete(userId)) return;
    this.views.delete(userId);
    this.changed();
  }

  resumeAudio(): Promise<void> {
    return this.media?.resume() ?? Promise.resolve();
  }

  /** Ends everything at once: tracks stopped, players removed, listeners off (through the adapter), tiles gone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.media?.release();
    this.captured.camera = this.captured.microphone = false;
    this.remote.clear();
    this.views.clear();
    this.reportPublished();
    this.changed();
  }

  /** The tiles, for the element's shadow root: the local user first, then remote users in join order. */
  render(layout: Layout, html: HtmlTag): unknown {
    if (layout === 'none' || this.released) return undefined;
    const tiles: Tile[] = [];
    if (this.canPublish)
      tiles.push({
        userId: this.config.userId,
        local: true,
        video: this.captured.camera,
        view: this.viewOf(this.config.userId),
      });
    for (const [userId, media] of this.remote)
      tiles.push({ userId, local: false, video: media.video, view: this.viewOf(userId) });
    return renderTiles(tiles, html);
  }

  private viewOf(userId: string): HTMLElement {
    let view = this.views.get(userId);
    if (!view) {
      view = document.createElement('div');
      view.className = 'view';
      this.views.set(userId, view);
    }
    return view;
  }

  private wanted(device: LocalDevice): boolean {
    return this.wish[device] && this.canPublish && !this.failed[device];
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
      } else {
        try {
          await media.startLocal(device, device === 'camera' ? this.viewOf(this.config.userId) : null);
          this.captured[device] = true;
        } catch (error) {
          this.failed[device] = true;
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
    const now =
      this.released || !this.inRoom
        ? { camera: false, microphone: false }
        : { camera: this.captured.camera, microphone: this.captured.microphone };
    if (now.camera === this.published.camera && now.microphone === this.published.microphone) return;
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
      message: `The ${device} could not be turned on (${name}): ${ADVICE[name] ?? 'it failed to start; turn it on again to retry'}.`,
      cause,
    };
    this.emit('error', detail);
  }
}
