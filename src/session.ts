import type { BanInfo } from './ban-reason.js';
import { roomKey, type MediaWish, type RoomConfig, type SdkGeneration } from './config.js';
import {
  TrtcRoomError,
  type Capabilities,
  type DeviceLists,
  type ErrorDetail,
  type RoomState,
  type SessionEmit,
} from './events.js';
import type { OpenVisit, RoomVisit, VisitOwner } from './visit.js';
import type { RoomUi } from './ui/room-ui.js';

/** What keeps a session out of a room its inputs describe, until join(), a reconnect or a new room/identity. */
export type Hold = 'left' | 'banned' | 'error';

let visitModule: typeof import('./visit.js') | undefined;

/**
 * Imports the visit code and, through it, the SDK, at the first join: a page whose rooms are never
 * entered loads neither. Once imported, later joins reach it without another import(); a failed
 * import is not kept, so a later join tries again.
 */
export async function loadVisits(sdk: unknown, generation: SdkGeneration): Promise<OpenVisit> {
  visitModule ??= await import('./visit.js');
  return visitModule.prepareVisits(sdk, generation);
}

/**
 * The room session: converges, one SDK operation at a time, to the latest desired room. It owns the
 * single SDK client (at most one alive), never is in two rooms, and never rejoins after a ban by itself.
 * Framework-free: it knows neither the DOM nor an SDK. Each room entered is a RoomVisit (visit.ts),
 * loaded with the SDK at the first join; the session decides, the visit carries out and reports.
 */
export class RoomSession implements VisitOwner {
  private desired: RoomConfig | null = null;
  private stateWhenAbsent: 'idle' | 'error' = 'idle';
  private lastDesiredKey: string | null = null;
  private hold: Hold | null = null;
  /** The current visit, if any (read by the element for its media: client, tiles, resumeAudio). */
  visit: RoomVisit | null = null;
  private converging = false;
  private settleWaiters: Array<() => void> = [];
  private currentState: RoomState = 'idle';
  /** The error of the latest failed attempt, which `join()` rejects with. */
  lastError: TrtcRoomError | null = null;
  /** The devices to publish while in a room; each visit starts with it (the element sets it at its first update). */
  declare mediaWish?: MediaWish;
  /** What a person sees of the call (src/ui/), made at the first join and kept across visits. */
  declare ui?: RoomUi;
  /** The browser's devices, read by the call (from the first join on). */
  declare devices?: DeviceLists;
  /** What the browser can do (detected by the visit's code, at the first join). */
  declare capabilities?: Capabilities;

  constructor(
    private readonly loadVisits: () => Promise<OpenVisit>,
    readonly emit: SessionEmit,
    /** What the tiles show has changed (a render is due). */
    readonly mediaChanged: () => void,
  ) {}

  /**
   * The devices as the inputs give them (`changed`: the inputs just set); a device set again after a failure is
   * tried again, a device chosen again is taken again.
   */
  setMedia(wish: MediaWish, changed?: { has(key: string): boolean }): void {
    this.mediaWish = wish;
    this.visit?.setMedia(wish, changed);
  }

  get state(): RoomState {
    return this.currentState;
  }

  /** The other users in the room now (the visit keeps them); none outside a room. */
  get peers(): string[] {
    return this.visit?.peers ?? [];
  }

  /** True while an SDK client exists or an operation is in flight. */
  get active(): boolean {
    return this.visit !== null || this.converging;
  }

  /**
   * Sets the room to be in (`null`: none). A different room or identity than the last one given
   * clears the hold, as does `clearHold`. `whenAbsent` is the state to rest in without a room.
   */
  setDesired(config: RoomConfig | null, options: { whenAbsent?: 'idle' | 'error'; clearHold?: boolean } = {}): void {
    this.desired = config;
    this.stateWhenAbsent = options.whenAbsent ?? 'idle';
    if (options.clearHold) this.hold = null;
    if (config) {
      const key = roomKey(config);
      if (this.lastDesiredKey !== null && key !== this.lastDesiredKey) this.hold = null;
      this.lastDesiredKey = key;
    }
    this.converge();
  }

  /** Leaves (if in a room) and stays out until the hold is cleared. */
  holdOut(hold: Hold): void {
    this.hold = hold;
    this.converge();
  }

  /** Resolves once no operation is in flight. */
  settled(): Promise<void> {
    if (!this.converging) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private target(): RoomConfig | null {
    return this.hold ? null : this.desired;
  }

  private isStillWanted(config: RoomConfig): boolean {
    return this.desired === null || roomKey(this.desired) === roomKey(config);
  }

  private restState(): RoomState {
    if (this.visit?.joined) return 'joined';
    return this.hold ?? this.stateWhenAbsent;
  }

  private setState(state: RoomState): void {
    const prevState = this.currentState;
    if (state === prevState) return;
    this.currentState = state;
    this.emit('state-change', { state, prevState });
  }

  private converge(): void {
    if (this.converging) return; // the running loop reads the latest inputs when its operation settles
    const target = this.target();
    const visit = this.visit;
    const inPlace = visit
      ? !visit.exit && target !== null && roomKey(target) === roomKey(visit.config)
      : target === null;
    if (inPlace) {
      this.setState(this.restState());
      return;
    }
    this.converging = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const target = this.target();
        const visit = this.visit;
        if (visit) {
          if (visit.exit || !target || roomKey(target) !== roomKey(visit.config)) {
            await this.leave(visit);
            continue;
          }
          break;
        }
        if (!target) break;
        await this.join();
      }
    } catch (error) {
      // Not expected: every SDK failure is handled above. Report rather than lose it.
      this.fail({ code: 'sdk-error', message: reasonOf(error), cause: error }, null);
    } finally {
      this.converging = false;
      this.setState(this.restState());
      // A state-change listener may have started the next run; its end resolves the waiters.
      if (!this.converging) {
        const waiters = this.settleWaiters;
        this.settleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  private async join(): Promise<void> {
    this.setState('joining');
    this.lastError = null;
    const wanted = this.target()!;
    let openVisit: OpenVisit;
    try {
      openVisit = await this.loadVisits();
    } catch (error) {
      this.fail(
        { code: 'sdk-load-failed', message: `Could not load the TRTC SDK: ${reasonOf(error)}`, cause: error },
        wanted,
      );
      return;
    }
    // The inputs may have changed while the SDK loaded: join only the latest room.
    const config = this.target();
    if (!config) return;
    const visit = (this.visit = openVisit(config, this));
    await visit.join();
  }

  private async leave(visit: RoomVisit): Promise<void> {
    this.setState('leaving');
    const leaveFailure = await visit.leave();
    if (leaveFailure) this.report(leaveFailure);
    // A ban that arrived while leaving already said goodbye.
    if (visit.exit !== 'banned') this.emit('left', roomDetail(visit.config));
  }

  // What the current visit reports (VisitOwner).

  isCurrent(visit: RoomVisit): boolean {
    return this.visit === visit;
  }

  detach(visit: RoomVisit): void {
    if (this.visit === visit) this.visit = null;
    this.mediaChanged();
  }

  joined(visit: RoomVisit): void {
    this.setState('joined');
    this.emit('joined', roomDetail(visit.config));
  }

  /** Holds out (no automatic rejoin) if the banned room is still the one wanted. */
  banned(visit: RoomVisit, info: BanInfo): void {
    if (this.isStillWanted(visit.config)) this.hold = 'banned';
    this.lastError = null;
    if (this.hold === 'banned') this.setState('banned');
    this.emit('banned', { ...roomDetail(visit.config), ...info });
    this.converge();
  }

  failed(visit: RoomVisit, detail: ErrorDetail): void {
    this.fail(detail, visit.config);
    // A joined client is left by the loop; a pending join is left once it settles.
    this.converge();
  }

  /** Reports an error and, when the failed room is still the one wanted, holds out (no retry loop). */
  private fail(detail: ErrorDetail, config: RoomConfig | null): void {
    if (config === null || this.isStillWanted(config)) this.hold = 'error';
    // Out of the room already (a failed join or load): listeners of `error` see the state it leaves.
    if (this.hold === 'error' && this.visit === null) this.setState('error');
    this.report(detail);
  }

  private report(detail: ErrorDetail): void {
    this.lastError = new TrtcRoomError(detail);
    this.emit('error', detail);
  }
}

/** The loader's errors are Errors with a sentence (the SDK's own errors are read in visit.ts). */
function reasonOf(error: unknown): string {
  return (error instanceof Error && error.message) || String(error);
}

function roomDetail(config: RoomConfig) {
  return { roomId: config.roomId, userId: config.userId };
}
