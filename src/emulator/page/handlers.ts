/** An SDK event handler: the SDKs pass one payload. */
export type Handler = (payload: any) => void;

/**
 * The event handlers of an SDK double (a v4 client or stream, a v5 TRTC instance), kept as the SDKs' emitters
 * keep them: `off` takes one handler, every handler of an event, or `'*'` for all; handlers added or removed
 * while an event fires take effect from the next one.
 */
export class HandlerMap {
  private readonly byEvent = new Map<string, Set<Handler>>();

  add(event: string, handler: Handler): void {
    if (!this.byEvent.has(event)) this.byEvent.set(event, new Set());
    this.byEvent.get(event)!.add(handler);
  }

  remove(event: string, handler?: Handler): void {
    if (event === '*') this.byEvent.clear();
    else if (handler) this.byEvent.get(event)?.delete(handler);
    else this.byEvent.delete(event);
  }

  /** How many handlers are registered, for leak checks. */
  get count(): number {
    let count = 0;
    for (const set of this.byEvent.values()) count += set.size;
    return count;
  }

  fire(event: string, payload: unknown): void {
    for (const handler of [...(this.byEvent.get(event) ?? [])]) handler(payload);
  }

  clear(): void {
    this.byEvent.clear();
  }
}
