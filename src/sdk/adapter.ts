import type { RoomConfig } from '../config.js';

/** What the element hears from a connection, already in its own words. */
export interface ConnectionHandlers {
  /** The user is already out of the room; the payload is whatever the SDK gave. */
  onBanned(payload: unknown): void;
  onPeerJoin(userId: string): void;
  onPeerLeave(userId: string): void;
  onConnectionStateChange(state: string, prevState: string): void;
  /** An unrecoverable SDK error. */
  onError(error: unknown): void;
}

/** One SDK client bound to one room config. Created fresh for every join. */
export interface RoomConnection {
  join(): Promise<void>;
  leave(): Promise<void>;
  /**
   * After a ban, what the SDK still needs before the client is destroyed (trtc-js-sdk: leave(), which
   * clears its page-wide join guard). Absent when the SDK's own exit path already did it.
   */
  afterBan?(): Promise<void>;
  /** Removes every handler and destroys the SDK client. Safe to call twice. */
  destroy(): void;
}

/** The seam to one SDK generation: the only code that knows an SDK's API. */
export interface SdkAdapter {
  readonly generation: string;
  connect(config: RoomConfig, handlers: ConnectionHandlers): RoomConnection;
}

/** The numeric code of an SDK error (`getCode()` in both generations), if it has one. */
export function sdkCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { getCode, code } = error as { getCode?: unknown; code?: unknown };
  if (typeof getCode === 'function') {
    try {
      const value: unknown = getCode.call(error);
      if (typeof value === 'number') return value;
    } catch {
      // fall through to `code`
    }
  }
  return typeof code === 'number' ? code : undefined;
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  if (typeof error === 'string' && error) return error;
  return fallback;
}
