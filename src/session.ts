import { toBanInfo } from './ban-reason.js';
import { roomKey, type RoomConfig } from './config.js';
import { TrtcRoomError, type ErrorDetail, type RoomState, type TrtcRoomEventDetails, type TrtcRoomEventName } from './events.js';
import { messageOf, sdkCodeOf, type RoomConnection, type SdkAdapter } from './sdk/adapter.js';

/** What keeps a session out of a room its inputs describe, until join(), a reconnect or a new room/identity. */
export type Hold = 'left' | 'banned' | 'error';

export type SessionEmit = <K extends TrtcRoomEventName>(name: K, detail: TrtcRoomEventDetails[K]) => void;

/** One SDK client and the room it was made for. */
interface Visit {
  readonly config: RoomConfig;
  readonly connection: RoomConnection;
  joined: boolean;
  /** Set once the SDK has put us out (ban) or failed for good (error): no `left` follows a ban. */
  exit?: 'banned' | 'error';
  /** A ban that arrived while the join was still pending, reported once the join settles. */
  pendingBan?: unknown;
}

/**
 * The room session: converges, one SDK operation at a time, to the latest desired room. It owns the
 * single SDK client (at most one alive), never is in two rooms, and never rejoins after a ban by itself.
 * Framework-free: it knows neither the DOM nor an SDK, only the adapter seam.
 */
export class RoomSession {
  private desired: RoomConfig | null = null;
  private stateWhenAbsent: 'idle' | 'error' = 'idle';
  private lastDesiredKey: string | null = null;
  private hold: Hold | null = null;
  private visit: Visit | null = null;
  private converging = false;
  private settleWaiters: Array<() => void> = [];
  private currentState: RoomState = 'idle';
  /** The error of the latest failed attempt, which `join()` rejects with. */
  lastError: TrtcRoomError | null = null;

  constructor(
    private readonly loadAdapter: () => Promise<SdkAdapter>,
    private readonly emit: SessionEmit,
  ) {}

  get state(): RoomState {
    return this.currentState;
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
    const inPlace = visit ? !visit.exit && target !== null && roomKey(target) === roomKey(visit.config) : target === null;
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
      this.fail({ code: 'sdk-error', message: messageOf(error, 'Unexpected failure.'), cause: error }, null);
    } finally {
      this.converging = false;
      this.setState(this.restState());
      // A state-change listener may have started the next run; its end resolves the waiters.
      if (this.converging) return;
      const waiters = this.settleWaiters;
      this.settleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private async join(): Promise<void> {
    this.setState('joining');
    this.lastError = null;
    const wanted = this.target()!;
    let adapter: SdkAdapter;
    try {
      adapter = await this.loadAdapter();
    } catch (error) {
      this.fail({ code: 'sdk-load-failed', message: `Could not load the TRTC SDK: ${messageOf(error, 'unknown error')}`, cause: error }, wanted);
      return;
    }
    // The inputs may have changed while the SDK loaded: join only the latest room.
    const config = this.target();
    if (!config) return;

    let visit: Visit;
    try {
      visit = { config, connection: adapter.connect(config, this.handlersFor(() => visit)), joined: false };
    } catch (error) {
      this.fail(this.joinFailure(error), config);
      return;
    }
    this.visit = visit;
    try {
      await visit.connection.join();
    } catch (error) {
      visit.connection.destroy();
      this.visit = null;
      if (visit.pendingBan !== undefined) this.reportBan(visit, visit.pendingBan);
      else if (visit.exit !== 'error') this.fail(this.joinFailure(error), config);
      return;
    }
    visit.joined = true;
    this.setState('joined');
    this.emit('joined', roomDetail(config));
    if (visit.pendingBan !== undefined) this.onBanned(visit, visit.pendingBan);
  }

  private joinFailure(error: unknown): ErrorDetail {
    const sdkCode = sdkCodeOf(error);
    const detail: ErrorDetail = { code: 'join-failed', message: `Joining the room failed: ${messageOf(error, 'unknown error')}`, cause: error };
    if (sdkCode !== undefined) detail.sdkCode = sdkCode;
    return detail;
  }

  private async leave(visit: Visit): Promise<void> {
    this.setState('leaving');
    if (visit.exit !== 'banned') {
      try {
        await visit.connection.leave();
      } catch (error) {
        const sdkCode = sdkCodeOf(error);
        const detail: ErrorDetail = { code: 'leave-failed', message: `Leaving the room failed; the client was destroyed anyway: ${messageOf(error, 'unknown error')}`, cause: error };
        if (sdkCode !== undefined) detail.sdkCode = sdkCode;
        this.report(detail);
      }
    }
    visit.connection.destroy();
    if (this.visit === visit) this.visit = null;
    // A ban that arrived while leaving already said goodbye.
    if (visit.exit !== 'banned') this.emit('left', roomDetail(visit.config));
  }

  private handlersFor(currentVisit: () => Visit) {
    // Events of a client that is no longer ours (or not yet assigned) are ignored.
    const live = () => {
      const visit = currentVisit();
      return visit && this.visit === visit ? visit : undefined;
    };
    return {
      onBanned: (payload: unknown) => {
        const visit = live();
        if (visit) this.onBanned(visit, payload);
      },
      onPeerJoin: (userId: string) => {
        if (live()?.joined) this.emit('peer-join', { userId });
      },
      onPeerLeave: (userId: string) => {
        if (live()?.joined) this.emit('peer-leave', { userId });
      },
      onConnectionStateChange: (state: string, prevState: string) => {
        if (live()) this.emit('connection-state-change', { state, prevState });
      },
      onError: (error: unknown) => {
        const visit = live();
        if (!visit || visit.exit) return;
        visit.exit = 'error';
        const sdkCode = sdkCodeOf(error);
        const detail: ErrorDetail = { code: 'sdk-error', message: `The TRTC SDK failed: ${messageOf(error, 'unknown error')}`, cause: error };
        if (sdkCode !== undefined) detail.sdkCode = sdkCode;
        this.fail(detail, visit.config);
        // A joined client is left by the loop; a pending join is left once it settles.
        if (visit.joined) this.converge();
      },
    };
  }

  /** The SDK has already put us out: no leave(), just destroy, and hold out (no automatic rejoin). */
  private onBanned(visit: Visit, payload: unknown): void {
    if (visit.exit === 'banned') return;
    if (!visit.joined) {
      visit.pendingBan ??= payload;
      return;
    }
    visit.exit = 'banned';
    visit.connection.destroy();
    if (this.visit === visit) this.visit = null;
    this.reportBan(visit, payload);
    this.converge();
  }

  private reportBan(visit: Visit, payload: unknown): void {
    visit.exit = 'banned';
    if (this.isStillWanted(visit.config)) this.hold = 'banned';
    const info = toBanInfo(payload);
    this.lastError = null;
    if (this.hold === 'banned') this.setState('banned');
    this.emit('banned', { ...roomDetail(visit.config), ...info });
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

function roomDetail(config: RoomConfig) {
  return { roomId: config.roomId, userId: config.userId };
}
