/**
 * TRTC's room rules, framework-free, behind both emulator transports (in memory and over WebSocket).
 * Rooms are keyed by SDKAppID and room id; numeric and string room ids are different rooms.
 */
import { verifyUserSig } from './user-sig.js';

/** A number for a numeric room, a string for a string room (123 and "123" are different rooms). */
export type RoomId = number | string;

/** What the SDK reports as `client-banned`'s reason. */
export type RemovalReason = 'kick' | 'banned' | 'room-disband';

/** How the service reaches one member's client. */
export interface MemberSink {
  removed(reason: RemovalReason, message: string): void;
  peerJoin(userId: string): void;
  peerLeave(userId: string): void;
}

export interface JoinRequest {
  sdkAppId: number;
  roomId: RoomId;
  userId: string;
  userSig: string;
}

/** Identifies a room in an admin request, as Tencent Cloud's API does: RoomId for numeric, StrRoomId for string rooms. */
export type RoomRef = { sdkAppId: number; roomId: number; strRoomId?: undefined } | { sdkAppId: number; strRoomId: string; roomId?: undefined };

export type RemoveUsersRequest = RoomRef & { userIds: string[] };

export interface Membership {
  readonly sdkAppId: number;
  readonly roomId: RoomId;
  readonly userId: string;
}

export interface RoomSnapshot {
  readonly sdkAppId: number;
  readonly roomId: RoomId;
  /** User ids in the order they joined. */
  readonly members: readonly string[];
}

export interface RoomServiceOptions {
  /** The application's secret key: when set, every join's userSig must be a valid TLS v2 signature. */
  secretKey?: string;
  /** Seconds since the epoch, for signature expiry; default the clock. */
  now?: () => number;
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

/** A refused join, shaped like the SDK's RtcError: `getCode()` is 0x4004 (JOIN_ROOM_FAILED). */
export class JoinRefusedError extends Error {
  override name = 'RtcError';
  readonly code = JOIN_ROOM_FAILED;
  getCode(): number {
    return JOIN_ROOM_FAILED;
  }
}

export const JOIN_ROOM_FAILED = 0x4004;
export const MAX_USER_IDS = 10;
const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STR_ROOM_ID = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

interface Member extends Membership {
  readonly sink: MemberSink;
}

const roomKey = (sdkAppId: number, roomId: RoomId) => `${sdkAppId}/${typeof roomId === 'number' ? `n:${roomId}` : `s:${roomId}`}`;

export class RoomService {
  private readonly rooms = new Map<string, { sdkAppId: number; roomId: RoomId; members: Map<string, Member> }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: RoomServiceOptions = {}) {}

  /** Calls `listener` after every change of membership; returns a function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every room and its members, as a frozen copy. */
  snapshot(): readonly RoomSnapshot[] {
    return Object.freeze(
      [...this.rooms.values()].map((room) =>
        Object.freeze({ sdkAppId: room.sdkAppId, roomId: room.roomId, members: Object.freeze([...room.members.keys()]) }),
      ),
    );
  }

  /**
   * Puts a client in a room. A member with the same userId already there is removed with reason
   * `kick`; the newcomer stays. Rejects with a JoinRefusedError (0x4004) on a bad request or signature.
   */
  async join(request: JoinRequest, sink: MemberSink): Promise<Membership> {
    const { sdkAppId, roomId, userId, userSig } = request;
    if (!Number.isInteger(sdkAppId) || sdkAppId <= 0) throw new JoinRefusedError(`Join refused: SDKAppID ${String(sdkAppId)} is not a positive integer.`);
    if (!isRoomId(roomId)) throw new JoinRefusedError(`Join refused: ${JSON.stringify(roomId)} is not a valid TRTC room id.`);
    if (typeof userId !== 'string' || !USER_ID.test(userId)) throw new JoinRefusedError(`Join refused: ${JSON.stringify(userId)} is not a valid userId.`);
    if (typeof userSig !== 'string' || userSig === '') throw new JoinRefusedError('Join refused: no userSig.');
    if (this.options.secretKey !== undefined) {
      try {
        await verifyUserSig(this.options.secretKey, { sdkAppId, userId, userSig, now: this.options.now?.() });
      } catch (error) {
        throw new JoinRefusedError(`Join refused: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const key = roomKey(sdkAppId, roomId);
    let room = this.rooms.get(key);
    if (!room) {
      room = { sdkAppId, roomId, members: new Map() };
      this.rooms.set(key, room);
    }
    const earlier = room.members.get(userId);
    if (earlier) {
      room.members.delete(userId);
      for (const other of room.members.values()) other.sink.peerLeave(userId);
      earlier.sink.removed('kick', `Another client joined room ${String(roomId)} with the same userId "${userId}".`);
    }
    const member: Member = { sdkAppId, roomId, userId, sink };
    for (const other of room.members.values()) {
      other.sink.peerJoin(userId);
      sink.peerJoin(other.userId);
    }
    room.members.set(userId, member);
    this.changed();
    return member;
  }

  /** Takes a member out of its room (peers see peer-leave). Does nothing if it is no longer there. */
  leave(membership: Membership): void {
    const room = this.rooms.get(roomKey(membership.sdkAppId, membership.roomId));
    if (!room || room.members.get(membership.userId) !== membership) return;
    this.remove(room, membership.userId);
    this.changed();
  }

  /** Tencent Cloud's RemoveUser / RemoveUserByStrRoomId: 1 to 10 users, removed with reason `banned`. */
  removeUsers(request: RemoveUsersRequest): void {
    const room = this.findRoom(request);
    const userIds = checkUserIds(request.userIds);
    for (const userId of userIds) {
      const member = room.members.get(userId);
      if (!member) continue;
      this.remove(room, userId);
      member.sink.removed('banned', `The app server removed "${userId}" from room ${String(room.roomId)}.`);
    }
    this.changed();
  }

  /** Tencent Cloud's DismissRoom / DismissRoomByStrRoomId: everyone removed with reason `room-disband`. */
  dismissRoom(request: RoomRef): void {
    const room = this.findRoom(request);
    const members = [...room.members.values()];
    this.rooms.delete(roomKey(room.sdkAppId, room.roomId));
    for (const member of members) member.sink.removed('room-disband', `The app server dismissed room ${String(room.roomId)}.`);
    this.changed();
  }

  private remove(room: { sdkAppId: number; roomId: RoomId; members: Map<string, Member> }, userId: string): void {
    room.members.delete(userId);
    for (const other of room.members.values()) other.sink.peerLeave(userId);
    if (room.members.size === 0) this.rooms.delete(roomKey(room.sdkAppId, room.roomId));
  }

  private findRoom(request: RoomRef) {
    if (typeof request !== 'object' || request === null) throw new RoomServiceError('InvalidParameter', 'The request must be an object.');
    const { sdkAppId, roomId, strRoomId } = request;
    if (sdkAppId === undefined || sdkAppId === null) throw new RoomServiceError('MissingParameter.SdkAppId', 'SdkAppId is required.');
    if (!Number.isInteger(sdkAppId) || sdkAppId <= 0) throw new RoomServiceError('InvalidParameter.SdkAppId', `SdkAppId ${JSON.stringify(sdkAppId)} is not a positive integer.`);
    const hasNumeric = roomId !== undefined && roomId !== null;
    const hasString = strRoomId !== undefined && strRoomId !== null;
    if (hasNumeric === hasString) {
      throw new RoomServiceError(hasNumeric ? 'InvalidParameter.RoomId' : 'MissingParameter.RoomId', 'Give exactly one room: a numeric RoomId or a string room id.');
    }
    const id: RoomId = hasNumeric ? roomId! : strRoomId!;
    if (hasNumeric ? !(Number.isInteger(id) && (id as number) >= 1 && (id as number) <= 4294967294) : !(typeof id === 'string' && STR_ROOM_ID.test(id))) {
      throw new RoomServiceError('InvalidParameter.RoomId', `RoomId ${JSON.stringify(id)} is not a valid ${hasNumeric ? 'numeric' : 'string'} room id.`);
    }
    const room = this.rooms.get(roomKey(sdkAppId, id));
    if (!room) throw new RoomServiceError('FailedOperation.RoomNotExist', `Room ${JSON.stringify(id)} of SDKAppID ${sdkAppId} does not exist (no one is in it).`);
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
  if (userIds === undefined || userIds === null) throw new RoomServiceError('MissingParameter.UserIds', 'UserIds is required.');
  if (!Array.isArray(userIds) || userIds.length < 1 || userIds.length > MAX_USER_IDS) {
    throw new RoomServiceError('InvalidParameter.UserIds', `UserIds must list 1 to ${MAX_USER_IDS} user ids; got ${Array.isArray(userIds) ? userIds.length : typeof userIds}.`);
  }
  const bad = userIds.find((userId) => typeof userId !== 'string' || !USER_ID.test(userId));
  if (bad !== undefined) throw new RoomServiceError('InvalidParameter.UserIds', `${JSON.stringify(bad)} is not a valid userId.`);
  return userIds as string[];
}
