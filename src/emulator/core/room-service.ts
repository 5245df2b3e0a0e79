/**
 * TRTC's room rules, framework-free, behind both emulator transports (in memory and over WebSocket).
 * Rooms are keyed by SDKAppID and room id; numeric and string room ids are different rooms. Only the
 * SDKAppIDs the service was given exist. Each member has a mode and a role: only anchors are announced to
 * the others. A room closes when its last member leaves, except a live room whose last member left as
 * audience: that one is kept for `liveRoomRetentionMs` (10 minutes, as TRTC documents).
 */
import { verifyUserSig } from './user-sig.js';
import type { FaultBoard } from './faults.js';
import { JOIN_ROOM_FAILED } from '../../sdk/v4-error-codes.js';

/** A number for a numeric room, a string for a string room (123 and "123" are different rooms). */
export type RoomId = number | string;

/** What the SDK reports as `client-banned`'s reason. */
export type RemovalReason = 'kick' | 'banned' | 'room-disband';

/** The SDK's scene: `rtc` (a call, everyone an anchor) or `live` (anchors and audience). */
export type RoomMode = 'rtc' | 'live';
export type MemberRole = 'anchor' | 'audience';

/**
 * Why a peer left, as trtc-sdk-v5's `PEER_LEAVE_REASON` numbers it (index.d.ts) and REMOTE_USER_EXIT
 * carries it: 0 left, 1 timed out (its connection dropped), 2 removed (kick, RemoveUser), 3 role change.
 */
export const PEER_LEAVE_REASON = Object.freeze({ NORMAL_LEAVE: 0, TIMEOUT_LEAVE: 1, KICK: 2, ROLE_CHANGE: 3 } as const);
export type PeerLeaveReason = (typeof PEER_LEAVE_REASON)[keyof typeof PEER_LEAVE_REASON];

/** How the service reaches one member's client. */
export interface MemberSink {
  removed(reason: RemovalReason, message: string): void;
  peerJoin(userId: string): void;
  peerLeave(userId: string, reason: PeerLeaveReason): void;
}

export interface JoinRequest {
  sdkAppId: number;
  roomId: RoomId;
  userId: string;
  userSig: string;
  /** Default `rtc`. */
  mode?: RoomMode;
  /** Live mode only (an rtc member is an anchor); default `anchor`. */
  role?: MemberRole;
}

/** Identifies a room in an admin request, as Tencent Cloud's API does: RoomId for numeric, StrRoomId for string rooms. */
export type RoomRef =
  | { sdkAppId: number; roomId: number; strRoomId?: undefined }
  | { sdkAppId: number; strRoomId: string; roomId?: undefined };

export type RemoveUsersRequest = RoomRef & { userIds: string[] };

export interface Membership {
  readonly sdkAppId: number;
  readonly roomId: RoomId;
  readonly userId: string;
  readonly mode: RoomMode;
  readonly role: MemberRole;
}

export interface RoomSnapshot {
  readonly sdkAppId: number;
  readonly roomId: RoomId;
  /** User ids in the order they joined. */
  readonly members: readonly string[];
  /** Each member's mode and role, in the same order. */
  readonly memberships: readonly { readonly userId: string; readonly mode: RoomMode; readonly role: MemberRole }[];
  /** An empty live room kept after its last (audience) member left: when it closes, in ms on the service's clock. */
  readonly closesAt?: number;
}

/** The SDKAppID the emulator knows when given none. */
export const DEFAULT_SDK_APP_ID = 1400000001;
/** How long an empty live room is kept after its last member, an audience member, left: 10 minutes. */
export const DEFAULT_LIVE_ROOM_RETENTION_MS = 10 * 60 * 1000;

export interface RoomServiceOptions {
  /** The application's secret key: when set, every join's userSig must be a valid TLS v2 signature. */
  secretKey?: string;
  /** Seconds since the epoch, for signature expiry and room retention; default the clock. */
  now?: () => number;
  /** The SDKAppIDs that exist; joins and API calls for any other are refused. Default [1400000001]. */
  sdkAppIds?: readonly number[];
  /** How long an empty live room whose last member was audience is kept; default 10 minutes. */
  liveRoomRetentionMs?: number;
  /** The emulator's injected faults (faults.ts): a `refuseJoins` fault refuses the joins it covers. */
  faults?: FaultBoard;
}

/** A refused admin request: a Tencent Cloud API 3.0 error code and a sentence. Nothing was changed. */
export class RoomServiceError extends Error {
  override name = 'RoomServiceError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A refused join, shaped like the SDKs' internal RtcError for a refused join: `getCode()` is 0x4004
 * (JOIN_ROOM_FAILED) and `getExtraCode()` the service's own code (see JOIN_REFUSAL), which trtc-sdk-v5
 * passes on as `extraCode` of its SERVER_ERROR.
 */
export class JoinRefusedError extends Error {
  override name = 'RtcError';
  readonly code = JOIN_ROOM_FAILED;
  constructor(
    message: string,
    readonly extraCode: number,
  ) {
    super(message);
  }
  getCode(): number {
    return JOIN_ROOM_FAILED;
  }
  getExtraCode(): number {
    return this.extraCode;
  }
}

export { JOIN_ROOM_FAILED } from '../../sdk/v4-error-codes.js';

/**
 * The service's codes for a refused join. -100018 is TRTC's documented server code for a userSig that
 * fails verification (ERR_SERVER_INFO_ECDH_GET_TINYID). The others are the TRTC native SDK's codes for
 * the same faults (ERR_SDK_APPID_INVALID, ERR_ROOM_ID_INVALID, ERR_USER_ID_INVALID, ERR_USER_SIG_INVALID):
 * which code the real service sends a web client for them is not documented (docs/emulator-rules.md).
 */
export const JOIN_REFUSAL = Object.freeze({
  SDK_APP_ID_INVALID: -3317,
  ROOM_ID_INVALID: -3318,
  USER_ID_INVALID: -3319,
  USER_SIG_INVALID: -3320,
  USER_SIG_CHECK_FAILED: -100018,
  /**
   * A join refused by an injected `refuseJoins` fault. The code the real service sends when it turns a join away
   * (overload, maintenance) is not documented; -1 is the emulator's own, as its other refusals (docs/emulator.md).
   */
  REFUSED_BY_FAULT: -1,
} as const);
export const MAX_USER_IDS = 10;
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STR_ROOM_ID = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

interface Member extends Membership {
  /** Replaced when the client resumes its membership over a new connection. */
  sink: MemberSink;
}

interface Room {
  sdkAppId: number;
  roomId: RoomId;
  members: Map<string, Member>;
  /** Set while the room is empty and kept (ms on the service's clock). */
  closesAt?: number;
}

/** Only anchors are announced to the others: in rtc mode everyone, in live mode not the audience. */
const announced = (member: Membership) => member.role === 'anchor';

const roomKey = (sdkAppId: number, roomId: RoomId) =>
  `${sdkAppId}/${typeof roomId === 'number' ? `n:${roomId}` : `s:${roomId}`}`;

export class RoomService {
  private readonly rooms = new Map<string, Room>();
  private readonly listeners = new Set<() => void>();
  private readonly sdkAppIds: ReadonlySet<number>;
  private readonly liveRoomRetentionMs: number;

  constructor(private readonly options: RoomServiceOptions = {}) {
    this.sdkAppIds = new Set(options.sdkAppIds ?? [DEFAULT_SDK_APP_ID]);
    this.liveRoomRetentionMs = options.liveRoomRetentionMs ?? DEFAULT_LIVE_ROOM_RETENTION_MS;
  }

  /** The SDKAppIDs that exist here. */
  get knownSdkAppIds(): readonly number[] {
    return [...this.sdkAppIds];
  }

  /** Calls `listener` after every change of membership; returns a function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every room (kept empty live rooms too) and its members, as a frozen copy. */
  snapshot(): readonly RoomSnapshot[] {
    this.closeExpiredRooms();
    return Object.freeze(
      [...this.rooms.values()].map((room) =>
        Object.freeze({
          sdkAppId: room.sdkAppId,
          roomId: room.roomId,
          members: Object.freeze([...room.members.keys()]),
          memberships: Object.freeze(
            [...room.members.values()].map(({ userId, mode, role }) => Object.freeze({ userId, mode, role })),
          ),
          ...(room.closesAt !== undefined ? { closesAt: room.closesAt } : {}),
        }),
      ),
    );
  }

  /**
   * Puts a client in a room. A member with the same userId already there is removed with reason
   * `kick`; the newcomer stays. Rejects with a JoinRefusedError (0x4004, the service's code as extraCode)
   * on a bad request, an unknown SDKAppID or a bad signature.
   */
  async join(request: JoinRequest, sink: MemberSink): Promise<Membership> {
    const { sdkAppId, roomId, userId, userSig } = request;
    const refuse = (extraCode: number, why: string) => new JoinRefusedError(`Join refused: ${why}`, extraCode);
    if (!Number.isInteger(sdkAppId) || sdkAppId <= 0)
      throw refuse(JOIN_REFUSAL.SDK_APP_ID_INVALID, `SDKAppID ${String(sdkAppId)} is not a positive integer.`);
    if (!this.sdkAppIds.has(sdkAppId)) {
      throw refuse(
        JOIN_REFUSAL.SDK_APP_ID_INVALID,
        `SDKAppID ${sdkAppId} does not exist in this emulator (it knows ${this.knownSdkAppIds.join(', ')}).`,
      );
    }
    if (!isRoomId(roomId))
      throw refuse(JOIN_REFUSAL.ROOM_ID_INVALID, `${JSON.stringify(roomId)} is not a valid TRTC room id.`);
    if (typeof userId !== 'string' || !USER_ID.test(userId))
      throw refuse(JOIN_REFUSAL.USER_ID_INVALID, `${JSON.stringify(userId)} is not a valid userId.`);
    if (typeof userSig !== 'string' || userSig === '') throw refuse(JOIN_REFUSAL.USER_SIG_INVALID, 'no userSig.');
    const refusedByFault = this.options.faults?.joinRefusal({ sdkAppId, roomId, userId });
    if (refusedByFault !== undefined) throw refuse(JOIN_REFUSAL.REFUSED_BY_FAULT, refusedByFault);
    const mode: RoomMode = request.mode === 'live' ? 'live' : 'rtc';
    const role: MemberRole = mode === 'live' && request.role === 'audience' ? 'audience' : 'anchor';
    if (this.options.secretKey !== undefined) {
      try {
        await verifyUserSig(this.options.secretKey, { sdkAppId, userId, userSig, now: this.options.now?.() });
      } catch (error) {
        throw refuse(JOIN_REFUSAL.USER_SIG_CHECK_FAILED, error instanceof Error ? error.message : String(error));
      }
    }
    this.closeExpiredRooms();
    const key = roomKey(sdkAppId, roomId);
    let room = this.rooms.get(key);
    if (!room) {
      room = { sdkAppId, roomId, members: new Map() };
      this.rooms.set(key, room);
    }
    delete room.closesAt;
    const earlier = room.members.get(userId);
    if (earlier) {
      room.members.delete(userId);
      if (announced(earlier))
        for (const other of room.members.values()) other.sink.peerLeave(userId, PEER_LEAVE_REASON.KICK);
      earlier.sink.removed('kick', `Another client joined room ${String(roomId)} with the same userId "${userId}".`);
    }
    const member: Member = { sdkAppId, roomId, userId, mode, role, sink };
    for (const other of room.members.values()) {
      if (announced(member)) other.sink.peerJoin(userId);
      if (announced(other)) sink.peerJoin(other.userId);
    }
    room.members.set(userId, member);
    this.changed();
    return member;
  }

  /**
   * The client of `membership` is back over a new connection before its removal: it stays the same member (its
   * peers see no leave and no join), now reached through `sink`, which hears of every announced member present,
   * so the client can sync its list as the SDKs do after a reconnection. Undefined if the member is gone.
   */
  resume(membership: Membership, sink: MemberSink): Membership | undefined {
    const room = this.rooms.get(roomKey(membership.sdkAppId, membership.roomId));
    const member = room?.members.get(membership.userId);
    if (!room || member !== membership) return undefined;
    member.sink = sink;
    for (const other of room.members.values()) if (other !== member && announced(other)) sink.peerJoin(other.userId);
    return member;
  }

  /**
   * Forgets every room and member without telling anyone, as a restarted service that kept no state: the clients
   * learn it when they reconnect and find no session.
   */
  reset(): void {
    this.rooms.clear();
    this.changed();
  }

  /**
   * Takes a member out of its room (peers see peer-leave, with `reason`: TIMEOUT_LEAVE for a dropped
   * connection). Does nothing if it is no longer there.
   */
  leave(membership: Membership, reason: PeerLeaveReason = PEER_LEAVE_REASON.NORMAL_LEAVE): void {
    const room = this.rooms.get(roomKey(membership.sdkAppId, membership.roomId));
    if (!room || room.members.get(membership.userId) !== membership) return;
    this.remove(room, membership.userId, reason);
    this.changed();
  }

  /** Tencent Cloud's RemoveUser / RemoveUserByStrRoomId: 1 to 10 users, removed with reason `banned`. */
  removeUsers(request: RemoveUsersRequest): void {
    const room = this.findRoom(request);
    const userIds = checkUserIds(request.userIds);
    for (const userId of userIds) {
      const member = room.members.get(userId);
      if (!member) continue;
      this.remove(room, userId, PEER_LEAVE_REASON.KICK);
      member.sink.removed('banned', `The app server removed "${userId}" from room ${String(room.roomId)}.`);
    }
    this.changed();
  }

  /** Tencent Cloud's DismissRoom / DismissRoomByStrRoomId: everyone removed with reason `room-disband`; the room closes. */
  dismissRoom(request: RoomRef): void {
    const room = this.findRoom(request);
    const members = [...room.members.values()];
    this.rooms.delete(roomKey(room.sdkAppId, room.roomId));
    for (const member of members)
      member.sink.removed('room-disband', `The app server dismissed room ${String(room.roomId)}.`);
    this.changed();
  }

  private remove(room: Room, userId: string, reason: PeerLeaveReason): void {
    const member = room.members.get(userId)!;
    room.members.delete(userId);
    if (announced(member)) for (const other of room.members.values()) other.sink.peerLeave(userId, reason);
    if (room.members.size > 0) return;
    // TRTC closes an empty room at once, except a live room its last member left as audience: 10 minutes
    // later. A room whose last member dropped closes when the drop timeout removes it (90 s after the drop).
    const keep = member.mode === 'live' && member.role === 'audience' && reason !== PEER_LEAVE_REASON.TIMEOUT_LEAVE;
    if (keep && this.liveRoomRetentionMs > 0) room.closesAt = this.nowMs() + this.liveRoomRetentionMs;
    else this.rooms.delete(roomKey(room.sdkAppId, room.roomId));
  }

  /** Closes the kept rooms whose time is up (the service keeps no timers: it looks when asked). */
  private closeExpiredRooms(): void {
    const now = this.nowMs();
    for (const [key, room] of this.rooms) {
      if (room.members.size === 0 && room.closesAt !== undefined && room.closesAt <= now) this.rooms.delete(key);
    }
  }

  private nowMs(): number {
    return (this.options.now?.() ?? Date.now() / 1000) * 1000;
  }

  private findRoom(request: RoomRef): Room {
    if (typeof request !== 'object' || request === null)
      throw new RoomServiceError('InvalidParameter', 'The request must be an object.');
    const { sdkAppId, roomId, strRoomId } = request;
    if (sdkAppId === undefined || sdkAppId === null)
      throw new RoomServiceError('MissingParameter.SdkAppId', 'SdkAppId is required.');
    if (!Number.isInteger(sdkAppId) || sdkAppId <= 0)
      throw new RoomServiceError(
        'InvalidParameter.SdkAppId',
        `SdkAppId ${JSON.stringify(sdkAppId)} is not a positive integer.`,
      );
    if (!this.sdkAppIds.has(sdkAppId)) {
      throw new RoomServiceError(
        'UnauthorizedOperation.SdkAppId',
        `SdkAppId ${sdkAppId} is not an application of this account (the emulator knows ${this.knownSdkAppIds.join(', ')}).`,
      );
    }
    const hasNumeric = roomId !== undefined && roomId !== null;
    const hasString = strRoomId !== undefined && strRoomId !== null;
    if (hasNumeric === hasString) {
      throw new RoomServiceError(
        hasNumeric ? 'InvalidParameter.RoomId' : 'MissingParameter.RoomId',
        'Give exactly one room: a numeric RoomId or a string room id.',
      );
    }
    const id: RoomId = hasNumeric ? roomId! : strRoomId!;
    if (
      hasNumeric
        ? !(Number.isInteger(id) && (id as number) >= 1 && (id as number) <= 4294967294)
        : !(typeof id === 'string' && STR_ROOM_ID.test(id))
    ) {
      throw new RoomServiceError(
        'InvalidParameter.RoomId',
        `RoomId ${JSON.stringify(id)} is not a valid ${hasNumeric ? 'numeric' : 'string'} room id.`,
      );
    }
    this.closeExpiredRooms();
    const room = this.rooms.get(roomKey(sdkAppId, id));
    if (!room)
      throw new RoomServiceError(
        'FailedOperation.RoomNotExist',
        `Room ${JSON.stringify(id)} of SDKAppID ${sdkAppId} does not exist (no one is in it).`,
      );
    return room;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function isRoomId(roomId: unknown): roomId is RoomId {
  if (typeof roomId === 'number') return Number.isInteger(roomId) && roomId >= 1 && roomId <= 4294967294;
  return typeof roomId === 'string' && STR_ROOM_ID.test(roomId);
}

function checkUserIds(userIds: unknown): string[] {
  if (userIds === undefined || userIds === null)
    throw new RoomServiceError('MissingParameter.UserIds', 'UserIds is required.');
  if (!Array.isArray(userIds) || userIds.length < 1 || userIds.length > MAX_USER_IDS) {
    throw new RoomServiceError(
      'InvalidParameter.UserIds',
      `UserIds must list 1 to ${MAX_USER_IDS} user ids; got ${Array.isArray(userIds) ? userIds.length : typeof userIds}.`,
    );
  }
  const bad = userIds.find((userId) => typeof userId !== 'string' || !USER_ID.test(userId));
  if (bad !== undefined)
    throw new RoomServiceError('InvalidParameter.UserIds', `${JSON.stringify(bad)} is not a valid userId.`);
  return userIds as string[];
}
