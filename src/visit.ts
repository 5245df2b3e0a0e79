// Loaded at the first join, together with the SDK: nothing here is needed before a room is entered.
import { toBanInfo, type BanInfo } from './ban-reason.js';
import type { MediaWish, RoomConfig, SdkGeneration } from './config.js';
import type { Capabilities, DeviceLists, ErrorDetail, SessionEmit } from './events.js';
import {
  messageOf,
  sdkCodeOf,
  type RoomConnection,
  type NetworkQuality,
  type SdkAdapter,
  type SdkErrorNext,
} from './sdk/adapter.js';
import { loadAdapter } from './sdk/loader.js';
import { CallMedia, detectCapabilities } from './media/call.js';
import { RoomUi } from './ui/room-ui.js';

/** What a visit tells the session that opened it. The session decides; the visit only reports. */
export interface VisitOwner {
  readonly emit: SessionEmit;
  /** Whether this is still the session's visit: events of an older client are ignored. */
  isCurrent(visit: RoomVisit): boolean;
  /** The visit's client is gone (destroyed): the session lets go of it. */
  detach(visit: RoomVisit): void;
  joined(visit: RoomVisit): void;
  /** The SDK has put the user out; the client is already destroyed. */
  banned(visit: RoomVisit, info: BanInfo): void;
  /** The join failed, or the SDK failed for good. */
  failed(visit: RoomVisit, detail: ErrorDetail): void;
  /** The devices wanted when the visit starts (later changes come through `setMedia`); unset: none. */
  readonly mediaWish?: MediaWish | undefined;
  /** What the browser can do (the element's `capabilities`): detected here, at the first visit. */
  capabilities?: Capabilities;
  /** What the tiles show has changed. */
  mediaChanged(): void;
  /** What a person sees of the call (src/ui/): made by the first visit, kept by the owner for later ones. */
  ui?: RoomUi;
  /** The browser's devices, as the call last read them (the element's `devices`); kept across visits. */
  devices?: DeviceLists;
}

/** Opens a visit to one room; made once the SDK is loaded. */
export type OpenVisit = (config: RoomConfig, owner: VisitOwner) => RoomVisit;

/** Loads the SDK (the `sdk` property, a global `TRTC`, or the lazy import of `generation`) and opens visits with it. */
export async function prepareVisits(sdk: unknown, generation: SdkGeneration): Promise<OpenVisit> {
  return visitsThrough(await loadAdapter(sdk, generation));
}

export function visitsThrough(adapter: SdkAdapter): OpenVisit {
  return (config, owner) => new RoomVisit(adapter, config, owner);
}

/**
 * Banned clients still being released (trtc-js-sdk: left, so that its page-wide join guard is cleared):
 * a join in this page waits for them, not to be refused by that guard, nor to have two clients alive.
 */
const releasing = new Set<Promise<void>>();

/**
 * One SDK client's life in one room: create, join, translate its events, leave, destroy. A fresh
 * visit (and client) for every join; at most one is the session's at a time.
 */
export class RoomVisit {
  joined = false;
  /** Set once the SDK has put us out (ban) or failed for good (error): no `left` follows a ban. */
  exit: 'banned' | 'error' | undefined;
  /** A ban that arrived while the join was still pending, reported once the join settles. */
  private pendingBan: unknown;
  /** The other users in the room the element has reported (`peer-join`), in that order. */
  private readonly peerIds = new Set<string>();
  /** Users the SDK reported while joining (trtc-js-sdk: those already in the room), reported right after `joined`. */
  private early: Set<string> | null = new Set();
  /** Set at leave, ban or error: peer events stop counting. */
  private closed = false;
  /** leave() was called: it does what the SDK needs after a ban, too. */
  private leaving = false;
  private connection: RoomConnection | undefined;
  /** Camera, microphone, remote media and tiles (src/media/): captured from the start of the join. */
  private readonly media: CallMedia;

  constructor(
    private readonly adapter: SdkAdapter,
    readonly config: RoomConfig,
    private readonly owner: VisitOwner,
  ) {
    this.media = new CallMedia(config, owner.mediaWish, owner.emit, () => owner.mediaChanged(), owner);
    (owner.ui ??= new RoomUi()).call = this.media;
    owner.capabilities ??= detectCapabilities();
  }

  /** The SDK's client while the visit has one. */
  get client(): unknown {
    return this.connection?.client ?? null;
  }

  setMedia(wish: MediaWish, changed?: { has(key: string): boolean }): void {
    this.media.setWish(wish, changed);
  }

  resumeAudio(): Promise<void> {
    return this.media.resumeAudio();
  }

  /** Creates the client and enters the room. Every outcome reaches the owner; this never rejects. */
  async join(): Promise<void> {
    try {
      if (releasing.size) await Promise.all(releasing);
      this.connection = this.adapter.connect(this.config, { ...this.handlers(), ...this.media.handlers });
      this.media.attach(this.connection.media);
      await this.connection.join();
    } catch (error) {
      // A ban during the join explains its failure: reported as the ban.
      if (this.pendingBan !== undefined) return this.ban(this.pendingBan);
      this.destroy();
      if (this.exit !== 'error') this.owner.failed(this, failure('join-failed', 'Joining the room failed', error));
      return;
    }
    // None kept if the SDK failed meanwhile (the error is already reported; the session leaves).
    const early = this.early ?? [];
    this.early = null;
    this.joined = true;
    this.owner.joined(this);
    for (const userId of early) this.peerJoined(userId);
    this.media.joined();
    if (this.pendingBan !== undefined) this.ban(this.pendingBan);
  }

  /** The other users in the room now; empty once left, banned or failed. */
  get peers(): string[] {
    return [...this.peerIds];
  }

  /** Leaves the room (unless the SDK already put us out) and destroys the client. Resolves with a leave failure, if any. */
  async leave(): Promise<ErrorDetail | undefined> {
    this.leaving = true;
    this.close();
    // The camera goes off at once, and nothing is published while leaving.
    this.media.release();
    let leaveFailure: ErrorDetail | undefined;
    if (this.exit !== 'banned') {
      try {
        await this.connection?.leave();
      } catch (error) {
        leaveFailure = failure('leave-failed', 'Leaving the room failed; the client was destroyed anyway', error);
      }
    }
    this.destroy();
    return leaveFailure;
  }

  private destroy(): void {
    this.media.release();
    this.connection?.destroy();
    this.owner.detach(this);
  }

  private close(): void {
    this.closed = true;
    this.peerIds.clear();
    this.early = null;
  }

  /** Reports a user once, and only while this is the session's open visit. */
  private peerJoined(userId: string): void {
    if (this.closed || this.peerIds.has(userId) || !this.owner.isCurrent(this)) return;
    this.peerIds.add(userId);
    this.owner.emit('peer-join', { userId });
  }

  /**
   * The SDK has already put us out: the session lets go of the visit and holds out at once, while the
   * client is released (what the SDK needs after a ban, then destroy) without delaying the `banned` event.
   * Called once: both callers check.
   */
  private ban(payload: unknown): void {
    this.exit = 'banned';
    this.close();
    this.media.release();
    const connection = this.connection;
    this.owner.detach(this);
    if (connection?.afterBan && !this.leaving) {
      // A failed release leaves nothing to report here: a later join that it blocks reports its own failure.
      const release: Promise<void> = connection
        .afterBan()
        .catch(() => undefined)
        .then(() => {
          connection.destroy();
          releasing.delete(release);
        });
      releasing.add(release);
    } else connection?.destroy();
    this.owner.banned(this, toBanInfo(payload));
  }

  private handlers() {
    const owner = this.owner;
    const current = () => owner.isCurrent(this);
    return {
      onBanned: (payload: unknown) => {
        if (!current() || this.exit === 'banned') return;
        // Still joining: reported once the join settles, either way.
        if (this.joined) this.ban(payload);
        else this.pendingBan ??= payload;
      },
      // Once per userId: a repeat is dropped, and so is a leave of someone not reported. While joining,
      // users are only kept, to be reported right after `joined` (see join()).
      onPeerJoin: (userId: string) => {
        if (current()) this.media.peerJoined(userId);
        if (this.early) this.early.add(userId);
        else this.peerJoined(userId);
      },
      onPeerLeave: (userId: string) => {
        if (current()) this.media.peerLeft(userId);
        if (current() && !this.early?.delete(userId) && this.peerIds.delete(userId))
          owner.emit('peer-leave', { userId });
      },
      onConnectionStateChange: (state: string, prevState: string) => {
        if (current()) owner.emit('connection-state-change', { state, prevState });
      },
      onError: (error: unknown, next: SdkErrorNext) => {
        if (!current() || this.exit) return;
        // The SDK carries on in the room: reported, and the visit goes on (docs/sdk-errors.md).
        if (next === 'recoverable') return owner.emit('error', failure('sdk-warning', SDK_WARNING, error));
        this.exit = 'error';
        this.close();
        // Every device is released now: the SDK is out of the room, nothing it captured is of use any more.
        this.media.release();
        owner.failed(
          this,
          next === 'connection-lost'
            ? failure('connection-lost', CONNECTION_LOST, error)
            : failure('sdk-error', 'The TRTC SDK failed', error),
        );
      },
      onNetworkQuality: (quality: NetworkQuality) => {
        if (current() && !this.closed) this.media.networkQuality(quality);
      },
    };
  }
}

const SDK_WARNING = 'The TRTC SDK reported a problem it recovers from by itself; the call goes on';
const CONNECTION_LOST =
  'The connection to TRTC was lost and the SDK gave up reconnecting (check the network, then call join() again)';

function failure(code: ErrorDetail['code'], what: string, error: unknown): ErrorDetail {
  const detail: ErrorDetail = { code, message: `${what}: ${messageOf(error, 'unknown error')}`, cause: error };
  const sdkCode = sdkCodeOf(error);
  if (sdkCode !== undefined) detail.sdkCode = sdkCode;
  return detail;
}
