/** Members whose connection dropped, each with the timer that removes it from its room unless it comes back. */
import { PEER_LEAVE_REASON, type Membership, type RoomService } from '../core/room-service.js';
import { quote } from './log-text.js';

export class DroppedMembers {
  private readonly timers = new Map<Membership, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly service: RoomService,
    private readonly dropTimeoutMs: number,
    private readonly log: (line: string) => void,
    /** Called after a member is removed for its drop (its session ends). */
    private readonly onTimedOut: (membership: Membership) => void = () => undefined,
  ) {}

  /** The member's connection dropped: it is removed after the drop timeout unless `forget` comes first. */
  drop(membership: Membership): void {
    if (this.closed || this.timers.has(membership)) return;
    this.log(
      `${quote(membership.userId)}'s connection dropped; removing it from room ${quote(membership.roomId)} in ${this.dropTimeoutMs} ms`,
    );
    const timer = setTimeout(() => {
      this.timers.delete(membership);
      this.log(
        `${quote(membership.userId)} removed from room ${quote(membership.roomId)} after its connection dropped`,
      );
      this.service.leave(membership, PEER_LEAVE_REASON.TIMEOUT_LEAVE);
      this.onTimedOut(membership);
    }, this.dropTimeoutMs);
    this.timers.set(membership, timer);
  }

  /** Cancels the member's pending removal, if any. */
  forget(membership: Membership): void {
    const timer = this.timers.get(membership);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(membership);
  }

  /** The member came back: cancels its pending removal. False if it was not pending (never dropped, or removed). */
  undrop(membership: Membership): boolean {
    if (!this.timers.has(membership)) return false;
    this.forget(membership);
    return true;
  }

  /** The userIds of a room's members whose connection dropped. */
  disconnectedIn(sdkAppId: number, roomId: Membership['roomId']): string[] {
    return [...this.timers.keys()].filter((m) => m.sdkAppId === sdkAppId && m.roomId === roomId).map((m) => m.userId);
  }

  /** Forgets every pending removal (a restart that keeps no rooms); drops are still taken. */
  forgetAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Forgets every pending removal; no drop is taken after this. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
