/**
 * An SDK client with trtc-js-sdk v4's interface (join, leave, destroy, on, off) and event payloads
 * (`client-banned` { reason, message }, `peer-join` / `peer-leave` { userId },
 * `connection-state-changed` { prevState, state }, `error` RtcError), over any RoomBackend.
 *
 * Its rules are trtc-js-sdk 4.15.22's, read in its trtc.esm.js (docs/sdk-fidelity.md lists them and where
 * the double differs): the page-wide join guard, users already in the room announced before join()
 * resolves, destroy() refused while joined, leave() resolving when not joined, the SDK's ban messages,
 * and a dropped connection reconnecting before it fails.
 */
import { retryPause } from './retry-pause.js';
import { HandlerMap, type Handler } from './handlers.js';
import { syncPeers, type BackendMembership, type FaultQueue, type RoomBackend } from './backend.js';
import type { RemovalReason } from '../core/room-service.js';

type ConnectionState = 'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED';

export interface EmulatedClientConfig {
  sdkAppId: number;
  userId: string;
  userSig: string;
  mode?: 'rtc' | 'live';
  useStringRoomId?: boolean;
}

/** An error shaped like the SDK's RtcError. */
export class EmulatedRtcError extends Error {
  override name = 'RtcError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
  getCode(): number {
    return this.code;
  }
}

// trtc-js-sdk's error codes the double gives (an injected leave fault rejects with UNKNOWN: the SDK's own
// leave() does not fail), from the one module of them.
import {
  INVALID_OPERATION,
  INVALID_PARAMETER,
  JOIN_ROOM_FAILED,
  SIGNAL_CHANNEL_RECONNECTION_FAILED,
  UNKNOWN,
} from '../../sdk/v4-error-codes.js';
export { INVALID_OPERATION, INVALID_PARAMETER, JOIN_ROOM_FAILED, SIGNAL_CHANNEL_RECONNECTION_FAILED, UNKNOWN };

/** trtc-js-sdk's reconnection attempts before it gives up on a dropped signalling connection. */
export const SDK_RECONNECT_ATTEMPTS = 30;

/** trtc-js-sdk's wait before giving up on reconnection attempt n (1-based): 2, 2, 3, 3, 5, 5, 8, 8, then 13 s. */
export function sdkReconnectDelayMs(attempt: number): number {
  const step = Math.round(attempt / 2) + 1;
  if (step > 6) return 13000;
  // The SDK's Fibonacci steps: 1, 2, 3, 5, 8, 13 s.
  let [previous, current] = [1, 1];
  for (let i = 1; i < step; i++) [previous, current] = [current, previous + current];
  return 1000 * current;
}

/**
 * A message as trtc-js-sdk builds it: its sentence, then a pointer to its documentation (the page of the
 * API, or the index; in a Chinese-language browser with its error assistance loaded it adds Chinese text,
 * which the double does not).
 */
export function sdkMessage(sentence: string, docPage = 'index.html'): string {
  return `${sentence} \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/${docPage}\n`;
}

/**
 * An error's message as trtc-js-sdk's RtcError (`class vr` in trtc.esm.js) ends it: with its code's name and hex
 * value, ` <JOIN_ROOM_FAILED 0x4004>`. Given here to the reconnection's errors (the conformance tables compare
 * them with the SDK's); the double's other errors do not carry it yet.
 */
const CODE_NAMES: Readonly<Record<number, string>> = {
  [JOIN_ROOM_FAILED]: 'JOIN_ROOM_FAILED',
  [SIGNAL_CHANNEL_RECONNECTION_FAILED]: 'SIGNAL_CHANNEL_RECONNECTION_FAILED',
};
function taggedMessage(code: number, message: string): string {
  return `${message} <${CODE_NAMES[code] ?? 'UNKNOWN'} 0x${code.toString(16)}>`;
}

/** The SDK's `client-banned` message for each reason, as it builds them ("client was banned because of …."). */
export const BAN_MESSAGES: Readonly<Record<RemovalReason, string>> = Object.freeze({
  kick: sdkMessage('client was banned because of duplicated userId joining the room.'),
  banned: sdkMessage('client was banned because of you got banned by the admin.'),
  'room-disband': sdkMessage('client was banned because of the room has been disbanded by the admin.'),
});

/**
 * trtc-js-sdk's page-wide join guard: one entry per SDKAppID + room + userId (+ string or numeric room),
 * set when join() starts, cleared when that join fails or leave() is called, and not by a ban.
 */
export class PageJoinGuard {
  private readonly keys = new Set<string>();
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
  }
  delete(key: string): void {
    this.keys.delete(key);
  }
}

/** How a client follows the SDK: set per SDK shape (the v5 shape, built on this client, keeps its own rules). */
export interface EmulatedClientRules {
  /** trtc-js-sdk's page-wide join guard; none: no guard. */
  joinGuard?: PageJoinGuard;
  /** destroy() while joined throws 4097, as trtc-js-sdk does; otherwise it leaves quietly. */
  refuseDestroyWhileJoined?: boolean;
  /** Reconnection attempts after a dropped connection before `error` 0x4006; default 30, as the SDK. */
  reconnectAttempts?: number;
  /** The wait before each attempt gives up; default the SDK's (sdkReconnectDelayMs). */
  reconnectDelayMs?: (attempt: number) => number;
}

export class EmulatedV4Client {
  private readonly handlers = new HandlerMap();
  private membership: BackendMembership | null = null;
  /** The SDK's isJoined_: set when the join succeeds, cleared by leave, ban or failure (not while reconnecting). */
  private isJoined = false;
  private joining = false;
  /** The room join() was last called for, and its guard key (the SDK keeps its roomId_ after a reset). */
  private roomId: number | string | undefined;
  /** The role join() was last called with, for a reconnection. */
  private role: 'anchor' | 'audience' | undefined;
  private guardKey: string | undefined;
  /** Rejects the pending join (destroy() during a join). */
  private abortJoin: ((error: Error) => void) | undefined;
  /** Users announced while joining, fired before join() resolves. */
  private announced: string[] | null = null;
  /** The other users in the room (the SDK's userMap_): a repeat peer-join is dropped. */
  private readonly peers = new Set<string>();
  private reconnection: { cancelled: boolean } | undefined;
  /** The service removed this client before its join was answered: banned once joined. */
  private removedWhileJoining: RemovalReason | undefined;
  private connectionState: ConnectionState = 'DISCONNECTED';
  destroyed = false;

  constructor(
    readonly config: EmulatedClientConfig,
    private readonly backend: RoomBackend,
    protected readonly faults: FaultQueue,
    private readonly onDestroy: (client: EmulatedV4Client) => void,
    private readonly rules: EmulatedClientRules = {},
  ) {}

  on(event: string, handler: Handler): void {
    this.handlers.add(event, handler);
  }

  off(event: string, handler?: Handler): void {
    this.handlers.remove(event, handler);
  }

  /** How many handlers are registered, for leak checks. */
  get handlerCount(): number {
    return this.handlers.count;
  }

  /**
   * In a room: joined, and still a member on the service's side (true while reconnecting, as the SDK's
   * isJoined_; false as soon as the service has removed it, before its `client-banned` arrives).
   */
  get joined(): boolean {
    return this.isJoined && (this.membership !== null || this.reconnection !== undefined);
  }

  async join(options: { roomId: number | string; role?: 'anchor' | 'audience' }): Promise<void> {
    // The SDK's checks, in its order: repeated call, already joined, destroyed, the page-wide guard, the room id.
    if (this.joining)
      throw new EmulatedRtcError(
        INVALID_OPERATION,
        sdkMessage('previous join() is ongoing, please avoid repeated calls.'),
      );
    if (this.isJoined) throw new EmulatedRtcError(INVALID_OPERATION, sdkMessage('duplicate join() called.'));
    if (this.destroyed)
      throw new EmulatedRtcError(INVALID_OPERATION, sdkMessage('failed to call join() because client was destroyed.'));
    const stringRoom = this.config.useStringRoomId === true;
    const roomId = options?.roomId;
    const { sdkAppId, userId, userSig } = this.config;
    const key = `${sdkAppId}_${String(roomId)}_${userId}_${stringRoom}`;
    const guard = this.rules.joinGuard;
    if (guard?.has(key)) {
      throw new EmulatedRtcError(
        INVALID_OPERATION,
        sdkMessage(`[${userId}] is calling client.join api or has already joined room, please avoid repeated join.`),
      );
    }
    if (stringRoom ? typeof roomId !== 'string' : typeof roomId !== 'number') {
      throw new EmulatedRtcError(
        INVALID_PARAMETER,
        sdkMessage(
          stringRoom
            ? `'roomId' must be validate string when useStringRoomId is true.`
            : `'roomId' must be an integer between [1, 4294967294] when useStringRoomId is false.`,
          'Client.html#join',
        ),
      );
    }
    this.joining = true;
    this.roomId = roomId;
    this.role = options.role;
    this.guardKey = key;
    guard?.add(key);
    this.announced = [];
    this.setConnectionState('CONNECTING');
    try {
      const aborted = new Promise<never>((_, reject) => (this.abortJoin = reject));
      const joining = (async () => {
        await this.faults.apply('join', (message) => new EmulatedRtcError(JOIN_ROOM_FAILED, message));
        return this.backend.join(
          { sdkAppId, roomId, userId, userSig, mode: this.config.mode, role: options.role },
          this.sink(),
          (error) => this.lost(error),
        );
      })();
      // A membership that arrives after destroy() is given back.
      joining.then(
        (membership) => {
          // Nobody is left to tell: the client is destroyed, and a lost leave ends at the server's drop timeout.
          if (this.destroyed) void membership.leave().catch(() => undefined);
        },
        () => undefined,
      );
      this.membership = await Promise.race([joining, aborted]);
      this.isJoined = true;
      this.setConnectionState('CONNECTED');
      const removed = this.removedWhileJoining;
      this.removedWhileJoining = undefined;
      if (removed) this.banLater(removed);
      // Users already in the room, before join() resolves (the SDK: from the join answer's publisher list).
      const announced = this.announced;
      this.announced = null;
      for (const other of announced) this.peerJoined(other);
    } catch (error) {
      this.removedWhileJoining = undefined;
      if (this.guardKey === key) guard?.delete(key);
      this.announced = null;
      this.setConnectionState('DISCONNECTED');
      throw error;
    } finally {
      this.joining = false;
      this.abortJoin = undefined;
    }
  }

  /** Leaves the room; resolves when not in one, and clears the page-wide join guard either way. */
  async leave(): Promise<void> {
    const wasJoined = this.isJoined;
    let fault: unknown;
    if (wasJoined) {
      // An injected fault stands for trouble on the way; the SDK resets the client all the same.
      fault = await this.faults
        .apply('leave', (message) => new EmulatedRtcError(UNKNOWN, message))
        .then(
          () => undefined,
          (error: unknown) => error ?? new EmulatedRtcError(UNKNOWN, 'Injected leave failure.'),
        );
    }
    if (this.guardKey !== undefined) this.rules.joinGuard?.delete(this.guardKey);
    const membership = this.membership;
    this.reset();
    // The SDK sends its leave and does not wait for an answer: a failure on the way is not the caller's.
    if (membership) await membership.leave().catch(() => undefined);
    if (fault !== undefined) throw fault;
  }

  /** Releases everything. While joined it throws 4097, as the SDK does: leave() first. */
  destroy(): void {
    if (this.isJoined) {
      if (this.rules.refuseDestroyWhileJoined)
        throw new EmulatedRtcError(INVALID_OPERATION, sdkMessage('please call leave() before destroy().'));
      if (this.guardKey !== undefined) this.rules.joinGuard?.delete(this.guardKey);
      const membership = this.membership;
      this.reset();
      // As the SDK's destroy(): the leave is sent and not waited for; a lost one ends at the server's drop timeout.
      if (membership) void membership.leave().catch(() => undefined);
    }
    if (this.destroyed) return;
    this.destroyed = true;
    this.abortJoin?.(
      new EmulatedRtcError(INVALID_OPERATION, sdkMessage('failed to call join() because client was destroyed.')),
    );
    this.handlers.clear();
    this.onDestroy(this);
  }

  /** Fires an SDK `error` event (an unrecoverable failure), for fault-injection tests; the client is reset, as the SDK does. */
  failWith(code = SIGNAL_CHANNEL_RECONNECTION_FAILED, message = 'Injected SDK error.'): void {
    const membership = this.membership;
    this.reset();
    // The injected error below is what the client reports; the leave behind it is the transport's concern.
    if (membership) void membership.leave().catch(() => undefined);
    this.fire('error', new EmulatedRtcError(code, message));
  }

  /** The SDK's reset(): out of the room, peers forgotten, connection closed; the join guard stays. */
  private reset(): void {
    this.isJoined = false;
    this.membership = null;
    this.peers.clear();
    if (this.reconnection) this.reconnection.cancelled = true;
    this.reconnection = undefined;
    this.setConnectionState('DISCONNECTED');
  }

  /** The service has removed this client: out at once, and `client-banned` in a later task. */
  private banLater(reason: RemovalReason): void {
    this.membership = null;
    setTimeout(() => {
      if (this.destroyed || this.membership !== null || !this.isJoined || this.reconnection) return;
      this.reset();
      this.fire('client-banned', { reason, message: BAN_MESSAGES[reason] });
    });
  }

  private peerJoined(userId: string): void {
    if (userId === this.config.userId || this.peers.has(userId)) return;
    this.peers.add(userId);
    this.fire('peer-join', { userId });
  }

  private sink() {
    // Server pushes arrive in tasks of their own, as network messages do. While joining, users already in
    // the room are kept and announced before join() resolves.
    const later = (fn: () => void) => setTimeout(() => !this.destroyed && fn());
    return {
      removed: (reason: RemovalReason, _message: string) => {
        // Out on the service's side now (also when removed before the join was answered); the client hears
        // of it in a task of its own, as a network message.
        if (this.joining) this.removedWhileJoining = reason;
        else if (this.membership) this.banLater(reason);
      },
      peerJoin: (userId: string) => {
        if (this.announced) this.announced.push(userId);
        else later(() => this.isJoined && this.peerJoined(userId));
      },
      peerLeave: (userId: string) => {
        if (this.announced) this.announced = this.announced.filter((other) => other !== userId);
        // The SDK fires peer-leave for any userId the server names, present or not.
        else later(() => this.isJoined && (this.peers.delete(userId), this.fire('peer-leave', { userId })));
      },
    };
  }

  /** The connection dropped: reconnect as the SDK does, and only after its attempts fail, `error` 0x4006. */
  private lost(_error: Error): void {
    if (!this.isJoined || this.reconnection) return;
    const lost = this.membership ?? undefined;
    this.membership = null;
    const reconnection = (this.reconnection = { cancelled: false });
    // The SDK's signal channel: closed (DISCONNECTED), then its reconnection starts (RECONNECTING).
    this.setConnectionState('DISCONNECTED');
    this.setConnectionState('RECONNECTING');
    void this.reconnect(reconnection, lost);
  }

  /**
   * trtc-js-sdk's SignalChannel.reconnect (trtc.esm.js 4.15.22): a fresh socket per attempt, the first at once
   * (onclose → reconnect()), each given `da(attempt)` ms (2, 2, 3, 3, 5, 5, 8, 8, then 13 s) before the next (a
   * refused socket's onerror does not hasten it: reconnect() returns while a try's timer runs), 30 attempts, then
   * the 30th's timer finds the count spent: `error` 0x4006
   * (SIGNAL_CHANNEL_RECONNECTION_FAILED). A reconnected socket resumes the session (CHANNEL_RECONNECT_RESULT 0,
   * then syncUserList); a session the server no longer has makes it join again (reJoin).
   */
  private async reconnect(reconnection: { cancelled: boolean }, lost: BackendMembership | undefined): Promise<void> {
    const attempts = this.rules.reconnectAttempts ?? SDK_RECONNECT_ATTEMPTS;
    const delayMs = this.rules.reconnectDelayMs ?? sdkReconnectDelayMs;
    const { sdkAppId, userId, userSig } = this.config;
    const roomId = this.roomId!;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (reconnection.cancelled || this.destroyed) return;
      this.announced = [];
      try {
        const membership = await this.backend.join(
          { sdkAppId, roomId, userId, userSig, mode: this.config.mode, role: this.role },
          this.sink(),
          (error) => {
            this.reconnection = undefined;
            this.lost(error);
          },
          lost,
        );
        if (reconnection.cancelled || this.destroyed) {
          // A reconnection nobody waits for any more: its membership is given back, and a failure has no listener.
          void membership.leave().catch(() => undefined);
          return;
        }
        this.membership = membership;
        this.reconnection = undefined;
        this.setConnectionState('CONNECTED');
        // The SDK syncs its user list after a reconnection: who left meanwhile leaves, who came joins.
        const present = this.announced ?? [];
        this.announced = null;
        syncPeers(
          this.peers,
          present,
          (other) => this.fire('peer-leave', { userId: other }),
          (other) => this.peerJoined(other),
        );
        return;
      } catch (error) {
        this.announced = null;
        // The service answered and refused (it has a code of its own for it): the SDK's reJoin failed.
        if ((error as { extraCode?: unknown })?.extraCode !== undefined) {
          if (reconnection.cancelled || this.destroyed) return;
          // The service was reached: the try's socket opened (onopen: CONNECTED) and its CHANNEL_RECONNECT_RESULT
          // refused the session, so Client.reJoin closed the signal channel and connected it again
          // (signalChannel_.close(), connect(): DISCONNECTED, CONNECTING, CONNECTED) before its join was refused.
          this.setConnectionState('CONNECTED');
          this.setConnectionState('DISCONNECTED');
          this.setConnectionState('CONNECTING');
          this.setConnectionState('CONNECTED');
          this.reset();
          this.fire(
            'error',
            new EmulatedRtcError(
              JOIN_ROOM_FAILED,
              taggedMessage(
                JOIN_ROOM_FAILED,
                sdkMessage(`reJoin room: ${String(roomId)} failed, please check your network.`),
              ),
            ),
          );
          return;
        }
      }
      // The try failed: the next comes when its timer runs out.
      await retryPause(delayMs(attempt));
    }
    if (reconnection.cancelled || this.destroyed) return;
    this.reset();
    this.fire(
      'error',
      new EmulatedRtcError(
        SIGNAL_CHANNEL_RECONNECTION_FAILED,
        taggedMessage(
          SIGNAL_CHANNEL_RECONNECTION_FAILED,
          sdkMessage('signal channel reconnection failed, please check your network.'),
        ),
      ),
    );
  }

  private setConnectionState(state: ConnectionState): void {
    const prevState = this.connectionState;
    if (prevState === state) return;
    this.connectionState = state;
    this.fire('connection-state-changed', { prevState, state });
  }

  protected fire(event: string, payload: unknown): void {
    this.handlers.fire(event, payload);
  }
}
