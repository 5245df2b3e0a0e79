/**
 * Network faults of the emulator, framework-free: which members' connections are cut, whose joins are refused,
 * whose media is delayed or lost, and for how long. One `FaultBoard` per emulator; the transports (the in-memory
 * backend in the page, the server's sockets and media server in Node) consult it and act on its changes.
 * docs/emulator.md#faults says what each fault does to each SDK and how it maps onto the real service.
 */

/** A room id as joins give it (room-service.ts's RoomId; repeated here so that the service can depend on this file). */
type RoomId = number | string;

/** Whom a fault concerns: every field given must match; none given: everyone. */
export interface FaultTarget {
  sdkAppId?: number;
  /** A number for a numeric room, a string for a string room, as in joins. */
  roomId?: RoomId;
  userId?: string;
}

/** How long a fault lasts: `durationMs`, or until restored (`handle.restore()`, `faults.restore(id)`, `faults.clear()`). */
export interface FaultDuration {
  durationMs?: number;
}

/** Cuts the target members' signalling and media: open connections close, new ones are refused. */
export type DropFault = FaultTarget & FaultDuration;
/** Refuses the target clients' joins (and rejoins) as the service would: the join fails, open sessions go on. */
export type RefuseJoinsFault = FaultTarget & FaultDuration;
/** Delays and loses a member's media packets, both ways, in the media server. */
export type MediaFault = FaultTarget &
  FaultDuration & {
    /** Added one-way delay, each direction, in ms (0 to 10000). */
    delayMs?: number;
    /** Share of packets lost, each direction, in percent (0 to 100). */
    lossPercent?: number;
  };

export interface RestartOptions {
  /** Keep the rooms and their members (as a service that persisted its state): clients reconnect into them. Default false. */
  keepRooms?: boolean;
  /** How long the emulator is unreachable, in ms; default 0 (every connection cut, new ones taken at once). */
  downMs?: number;
}

export type FaultType = 'drop' | 'refuse-joins' | 'media';

/** One active fault, as `faults.active` and `GET /faults` list it. */
export interface ActiveFault {
  readonly id: string;
  readonly type: FaultType;
  readonly target: Readonly<FaultTarget>;
  /** When it ends by itself (ms since the epoch, on the emulator's clock); absent: until restored. */
  readonly endsAt?: number;
  readonly delayMs?: number;
  readonly lossPercent?: number;
}

export interface FaultHandle {
  readonly id: string;
  /** Ends the fault now (nothing if it has ended). */
  restore(): void;
  /** Settles when the fault ends, by its duration or by a restore. */
  readonly restored: Promise<void>;
}

/** The fault API, the same in memory (`emulator.admin.faults`) and in Node (`server.faults`, `POST /faults`). */
export interface EmulatorFaults {
  /** Drops the target members' connections (everyone's if no target) now, for `durationMs` or until restored. */
  drop(fault?: DropFault): FaultHandle;
  /** Refuses the target clients' joins (everyone's if no target) for `durationMs` or until restored. */
  refuseJoins(fault?: RefuseJoinsFault): FaultHandle;
  /** Adds delay and loss to the target member's media, for `durationMs` or until restored. */
  degradeMedia(fault: MediaFault): FaultHandle;
  /**
   * Restarts the emulator: every connection is cut, it is unreachable for `downMs`, and its rooms are forgotten
   * unless `keepRooms`. Resolves once it takes connections again.
   */
  restart(options?: RestartOptions): Promise<void>;
  /** Ends one fault by id; false if no such fault is active. */
  restore(id: string): boolean;
  /** Ends every fault. */
  clear(): void;
  /** The faults active now. */
  readonly active: readonly ActiveFault[];
}

/** A fault request that cannot be carried out: a code and a sentence; nothing was changed. */
export class FaultError extends Error {
  override name = 'FaultError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Who a connection is, as far as it is known yet (a socket may not have named its room). */
export interface FaultSubject {
  sdkAppId: number;
  roomId?: RoomId;
  userId: string;
}

/** A member's media link while faults are active: cut, or delayed and lossy. */
export interface LinkCondition {
  blocked: boolean;
  delayMs: number;
  /** 0 to 1. */
  lossRate: number;
}

export const CLEAR_LINK: LinkCondition = Object.freeze({ blocked: false, delayMs: 0, lossRate: 0 });

const MAX_DELAY_MS = 10_000;
const FAULT_FIELDS = ['sdkAppId', 'roomId', 'userId', 'durationMs'];
const MEDIA_FAULT_FIELDS = [...FAULT_FIELDS, 'delayMs', 'lossPercent'];

interface Entry {
  fault: ActiveFault;
  end: () => void;
  handle: FaultHandle;
}

export interface FaultBoardOptions {
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

/** The change listeners see: a fault started or ended. */
export interface FaultChange {
  phase: 'start' | 'end';
  fault: ActiveFault;
}

/** True if `subject` is among `target`'s members. A target naming a room matches no subject whose room is unknown. */
export function targets(target: FaultTarget, subject: FaultSubject): boolean {
  if (target.sdkAppId !== undefined && target.sdkAppId !== subject.sdkAppId) return false;
  if (target.userId !== undefined && target.userId !== subject.userId) return false;
  if (target.roomId !== undefined && target.roomId !== subject.roomId) return false;
  return true;
}

export class FaultBoard {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: FaultChange) => void>();
  private nextId = 1;

  constructor(private readonly options: FaultBoardOptions = {}) {}

  /** Calls `listener` when a fault starts or ends; returns a function that stops it. */
  onChange(listener: (change: FaultChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): readonly ActiveFault[] {
    return Object.freeze([...this.entries.values()].map((entry) => entry.fault));
  }

  drop(fault: DropFault = {}): FaultHandle {
    return this.start('drop', fault, {});
  }

  refuseJoins(fault: RefuseJoinsFault = {}): FaultHandle {
    return this.start('refuse-joins', fault, {});
  }

  degradeMedia(fault: MediaFault): FaultHandle {
    if (typeof fault !== 'object' || fault === null)
      throw new FaultError('InvalidParameter.Fault', 'degradeMedia needs { userId, delayMs?, lossPercent? }.');
    const { delayMs = 0, lossPercent = 0 } = fault;
    if (typeof fault.userId !== 'string')
      throw new FaultError('MissingParameter.UserId', 'degradeMedia concerns one member: give its userId.');
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)
      throw new FaultError(
        'InvalidParameter.DelayMs',
        `delayMs must be a number of ms from 0 to ${MAX_DELAY_MS}, not ${JSON.stringify(delayMs)}.`,
      );
    if (typeof lossPercent !== 'number' || !Number.isFinite(lossPercent) || lossPercent < 0 || lossPercent > 100)
      throw new FaultError(
        'InvalidParameter.LossPercent',
        `lossPercent must be a number from 0 to 100, not ${JSON.stringify(lossPercent)}.`,
      );
    if (delayMs === 0 && lossPercent === 0)
      throw new FaultError('InvalidParameter.Fault', 'degradeMedia needs a delayMs or a lossPercent above 0.');
    return this.start('media', fault, { delayMs, lossPercent });
  }

  restore(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    entry.end();
    return true;
  }

  clear(): void {
    for (const entry of [...this.entries.values()]) entry.end();
  }

  /** True while a drop covers the subject. */
  isDropped(subject: FaultSubject): boolean {
    return this.find('drop', subject) !== undefined;
  }

  /** True while a drop covers every member (no target, or only an SDKAppID): a connection that has not named its member yet is refused too. */
  dropsEveryone(): boolean {
    for (const { fault } of this.entries.values())
      if (fault.type === 'drop' && fault.target.userId === undefined && fault.target.roomId === undefined) return true;
    return false;
  }

  /** The sentence of a join refusal covering the subject, or undefined. */
  joinRefusal(subject: FaultSubject): string | undefined {
    const fault = this.find('refuse-joins', subject);
    if (!fault) return undefined;
    return `The emulator refuses joins (fault ${fault.id}${fault.endsAt === undefined ? ', until restored' : ` until ${new Date(fault.endsAt).toISOString()}`}).`;
  }

  /** The subject's media link now: blocked by a drop, or delayed and lossy (the largest of each if faults overlap). */
  linkOf(subject: FaultSubject): LinkCondition {
    let link = CLEAR_LINK;
    for (const { fault } of this.entries.values()) {
      if (!targets(fault.target, subject)) continue;
      if (fault.type === 'drop') return { blocked: true, delayMs: 0, lossRate: 1 };
      if (fault.type === 'media')
        link = {
          blocked: false,
          delayMs: Math.max(link.delayMs, fault.delayMs ?? 0),
          lossRate: Math.max(link.lossRate, (fault.lossPercent ?? 0) / 100),
        };
    }
    return link;
  }

  private find(type: FaultType, subject: FaultSubject): ActiveFault | undefined {
    for (const { fault } of this.entries.values())
      if (fault.type === type && targets(fault.target, subject)) return fault;
    return undefined;
  }

  private start(type: FaultType, request: FaultTarget & FaultDuration, extra: Partial<ActiveFault>): FaultHandle {
    if (typeof request !== 'object' || request === null)
      throw new FaultError(
        'InvalidParameter.Fault',
        `A ${type} fault is an object: { userId?, roomId?, sdkAppId?, durationMs? }.`,
      );
    const known = type === 'media' ? MEDIA_FAULT_FIELDS : FAULT_FIELDS;
    const unknown = Object.keys(request).find((key) => !known.includes(key));
    if (unknown !== undefined)
      throw new FaultError(
        'UnknownParameter',
        `A ${type} fault has no field ${JSON.stringify(unknown)}; it takes ${known.join(', ')}.`,
      );
    const target = checkTarget(request);
    const { durationMs } = request;
    if (durationMs !== undefined && !(typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs > 0))
      throw new FaultError(
        'InvalidParameter.DurationMs',
        `durationMs must be a positive number of ms (or left out: until restored), not ${JSON.stringify(durationMs)}.`,
      );
    const id = `${type}-${this.nextId++}`;
    const now = this.options.now?.() ?? Date.now();
    const fault: ActiveFault = Object.freeze({
      id,
      type,
      target,
      ...(durationMs !== undefined ? { endsAt: now + durationMs } : {}),
      ...extra,
    });
    let settle!: () => void;
    const restored = new Promise<void>((resolve) => (settle = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = () => {
      if (this.entries.get(id)?.fault !== fault) return;
      if (timer !== undefined) clearTimeout(timer);
      this.entries.delete(id);
      this.emit({ phase: 'end', fault });
      settle();
    };
    const handle: FaultHandle = { id, restore: end, restored };
    this.entries.set(id, { fault, end, handle });
    if (durationMs !== undefined) timer = setTimeout(end, durationMs);
    this.emit({ phase: 'start', fault });
    return handle;
  }

  private emit(change: FaultChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

function checkTarget(request: FaultTarget): Readonly<FaultTarget> {
  const { sdkAppId, roomId, userId } = request;
  if (sdkAppId !== undefined && !(Number.isInteger(sdkAppId) && sdkAppId > 0))
    throw new FaultError(
      'InvalidParameter.SdkAppId',
      `sdkAppId must be a positive integer, not ${JSON.stringify(sdkAppId)}.`,
    );
  if (roomId !== undefined && !(typeof roomId === 'string' ? roomId !== '' : Number.isInteger(roomId) && roomId > 0))
    throw new FaultError(
      'InvalidParameter.RoomId',
      `roomId must be a positive integer (a numeric room) or a string (a string room), not ${JSON.stringify(roomId)}.`,
    );
  if (userId !== undefined && !(typeof userId === 'string' && userId !== ''))
    throw new FaultError(
      'InvalidParameter.UserId',
      `userId must be a non-empty string, not ${JSON.stringify(userId)}.`,
    );
  return Object.freeze({
    ...(sdkAppId !== undefined ? { sdkAppId } : {}),
    ...(roomId !== undefined ? { roomId } : {}),
    ...(userId !== undefined ? { userId } : {}),
  });
}

/** A restart's options, checked: a clear error for a bad one, and nothing done. */
export function checkRestart(options: RestartOptions): Required<RestartOptions> {
  if (typeof options !== 'object' || options === null)
    throw new FaultError('InvalidParameter.Restart', 'restart takes { keepRooms?, downMs? }.');
  const unknown = Object.keys(options).find((key) => key !== 'keepRooms' && key !== 'downMs');
  if (unknown !== undefined)
    throw new FaultError(
      'UnknownParameter',
      `restart has no option ${JSON.stringify(unknown)}; it takes keepRooms, downMs.`,
    );
  const { keepRooms = false, downMs = 0 } = options;
  if (typeof keepRooms !== 'boolean')
    throw new FaultError(
      'InvalidParameter.KeepRooms',
      `keepRooms must be true or false, not ${JSON.stringify(keepRooms)}.`,
    );
  if (typeof downMs !== 'number' || !Number.isFinite(downMs) || downMs < 0)
    throw new FaultError(
      'InvalidParameter.DownMs',
      `downMs must be a number of ms, 0 or more, not ${JSON.stringify(downMs)}.`,
    );
  return { keepRooms, downMs };
}
