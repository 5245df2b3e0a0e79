/**
 * Who is speaking, from the SDKs' volume evaluation (0 to 100, every `SPEAKING.intervalMs`). A user starts speaking
 * at a volume of `start` or more and stays speaking while volumes of `keep` or more keep coming; they stop once
 * `holdMs` pass without one. The gap between `start` and `keep` (hysteresis) and the hold keep a tile from
 * flickering between words.
 */
export const SPEAKING = { intervalMs: 200, start: 10, keep: 5, holdMs: 800 } as const;

export class SpeakingDetector {
  private readonly lastLoud = new Map<string, number>();

  /** The users speaking now. */
  get speaking(): ReadonlySet<string> {
    return new Set(this.lastLoud.keys());
  }

  has(userId: string): boolean {
    return this.lastLoud.has(userId);
  }

  /** Takes one volume report made at `now` (ms); returns the users whose speaking changed, in order. */
  update(volumes: ReadonlyArray<{ userId: string; volume: number }>, now: number): Array<[string, boolean]> {
    const changes: Array<[string, boolean]> = [];
    for (const { userId, volume } of volumes) {
      if (this.lastLoud.has(userId)) {
        if (volume >= SPEAKING.keep) this.lastLoud.set(userId, now);
      } else if (volume >= SPEAKING.start) {
        this.lastLoud.set(userId, now);
        changes.push([userId, true]);
      }
    }
    for (const [userId, at] of this.lastLoud) {
      if (now - at < SPEAKING.holdMs) continue;
      this.lastLoud.delete(userId);
      changes.push([userId, false]);
    }
    return changes;
  }

  /** Drops a user (gone, or their microphone is off); returns whether they were speaking. */
  forget(userId: string): boolean {
    return this.lastLoud.delete(userId);
  }
}
