import type { JoinRequest, MemberSink } from '../core/room-service.js';

/** One client's place in a room, as a transport holds it. */
export interface BackendMembership {
  leave(): Promise<void>;
}

/**
 * How an emulated SDK client reaches the room service: directly (in memory) or over a WebSocket.
 * `onLost` is called if the transport loses the membership on its own (the server went away, a dropped
 * connection). `resume`, on a reconnection, is the membership the client lost: if the service still holds it, the
 * client takes it back (its peers see no leave), else it joins afresh.
 */
export interface RoomBackend {
  join(
    request: JoinRequest,
    sink: MemberSink,
    onLost: (error: Error) => void,
    resume?: BackendMembership,
  ): Promise<BackendMembership>;
}

/** A way to make the next join or leave misbehave, for fault-injection tests. */
export type Fault =
  | { type: 'reject'; error?: unknown }
  /** Waits for `until`, then goes through (or rejects, with `then: 'reject'`). */
  | { type: 'delay'; until: Promise<unknown>; then?: 'resolve' | 'reject'; error?: unknown };

/** Queues of faults the emulated clients take, one per call, before they do the real work. */
export class FaultQueue {
  private readonly joins: Fault[] = [];
  private readonly leaves: Fault[] = [];
  private readonly publishes: { error?: unknown }[] = [];

  /** The next `join()` of any client misbehaves once. */
  nextJoin(fault: Fault): void {
    this.joins.push(fault);
  }

  /** The next `leave()` of any client misbehaves once. */
  nextLeave(fault: Fault): void {
    this.leaves.push(fault);
  }

  /**
   * The next publish of any client is refused once, as a server without a media server refuses it: v4's
   * `client.publish()` rejects; v5's `startLocalVideo()` / `startLocalAudio()` still start the preview and the
   * publish ends in `PUBLISH_STATE_CHANGED { state: 'stopped', reason: 'error', error }`, as trtc-sdk-v5 does.
   */
  nextPublish(fault: { type: 'reject'; error?: unknown } = { type: 'reject' }): void {
    this.publishes.push({ ...(fault.error === undefined ? {} : { error: fault.error }) });
  }

  /** Forgets every queued fault. */
  clear(): void {
    this.joins.length = 0;
    this.leaves.length = 0;
    this.publishes.length = 0;
  }

  /** @internal The next publish refusal, if one is queued: `error` is the one to give, if the test chose it. */
  takePublish(): { error?: unknown } | undefined {
    return this.publishes.shift();
  }

  /** @internal Applies the next fault for `operation`, if any: throws, waits, or does nothing. */
  async apply(operation: 'join' | 'leave', makeError: (message: string) => Error): Promise<void> {
    const fault = (operation === 'join' ? this.joins : this.leaves).shift();
    if (!fault) return;
    const fail = () => {
      throw fault.error ?? makeError(`Injected ${operation} failure.`);
    };
    if (fault.type === 'reject') fail();
    else {
      await fault.until.catch(() => undefined); // `until` only says when: its outcome is `then`'s to choose
      if (fault.then === 'reject') fail();
    }
  }
}

/**
 * The SDKs' syncUserList after a reconnection: each known peer missing from `present` has left (removed from
 * `known`, then `left`), each present one is `joined` (which skips the known ones).
 */
export function syncPeers(
  known: Set<string>,
  present: readonly string[],
  left: (userId: string) => void,
  joined: (userId: string) => void,
): void {
  const now = new Set(present);
  for (const other of [...known]) {
    if (now.has(other)) continue;
    known.delete(other);
    left(other);
  }
  for (const other of now) joined(other);
}
