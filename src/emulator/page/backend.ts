import type { JoinRequest, MemberSink } from '../core/room-service.js';

/** One client's place in a room, as a transport holds it. */
export interface BackendMembership {
  leave(): Promise<void>;
}

/**
 * How an emulated SDK client reaches the room service: directly (in memory) or over a WebSocket.
 * `onLost` is called if the transport loses the membership on its own (the server went away).
 */
export interface RoomBackend {
  join(request: JoinRequest, sink: MemberSink, onLost: (error: Error) => void): Promise<BackendMembership>;
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

  /** The next `join()` of any client misbehaves once. */
  nextJoin(fault: Fault): void {
    this.joins.push(fault);
  }

  /** The next `leave()` of any client misbehaves once. */
  nextLeave(fault: Fault): void {
    this.leaves.push(fault);
  }

  /** Forgets every queued fault. */
  clear(): void {
    this.joins.length = 0;
    this.leaves.length = 0;
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
      await fault.until.catch(() => undefined);
      if (fault.then === 'reject') fail();
    }
  }
}
