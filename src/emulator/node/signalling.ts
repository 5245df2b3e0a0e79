/**
 * The unmodified TRTC Web SDKs' signalling, served by the networked emulator over the room service (the one
 * source of truth the emulated SDKs' `/trtc` endpoint also uses). Both SDK generations speak the same envelope
 * and the same core commands (signalling-frames.ts); signalling-v4.ts and signalling-v5.ts hold what each
 * generation says differently. Each socket is a `SignallingChannel` (signalling-channel.ts) answering frames from
 * its dialect's command table (signalling-commands.ts). docs/real-sdks.md is the user's page. No media: commands
 * that need a media server are refused in the SDK's own result shape.
 */
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { SignallingChannel, SignallingRooms, type SdkSignallingHooks } from './signalling-channel.js';
import type { SdkProxySettings, SignallingDialect } from './signalling-frames.js';
import { trtcJsSdkSignalling } from './signalling-v4.js';
import { trtcSdkV5Signalling } from './signalling-v5.js';

export {
  EMULATOR_REFUSAL_CODE,
  LOGGER_PATH,
  SERVER_CMD,
  type ClientFrame,
  type SdkProxySettings,
  type ServerFrame,
  type SignallingDialect,
} from './signalling-frames.js';
export type { SdkSignallingHooks } from './signalling-channel.js';

export const SIGNALLING_DIALECTS: readonly SignallingDialect[] = [trtcJsSdkSignalling, trtcSdkV5Signalling];

export interface SdkSignalling {
  /** Whether the upgrade request is for one of the SDKs' paths. */
  handles(request: IncomingMessage): boolean;
  /** Serves a socket opened on one of the SDKs' paths (its channel, which names its client); undefined if the path is not one. */
  serve(socket: WebSocket, request: IncomingMessage): SignallingChannel | undefined;
  /** `GET /proxy`: for each generation, the value for its proxy setting. */
  proxy(httpBase: string): SdkProxySettings;
  /** Closes every media transport. */
  close(): Promise<void>;
}

const pathOf = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://emulator').pathname;

export function createSdkSignalling(hooks: SdkSignallingHooks): SdkSignalling {
  const byPath = new Map(SIGNALLING_DIALECTS.map((dialect) => [dialect.path, dialect]));
  const rooms = new SignallingRooms(hooks);
  // A member removed after its connection dropped (or by any path that bypasses its socket) ends its media.
  if (hooks.media) hooks.service.onChange(() => rooms.forgetAbsent());
  return {
    handles: (request) => byPath.has(pathOf(request)),
    serve(socket, request) {
      const dialect = byPath.get(pathOf(request));
      if (!dialect) return undefined;
      return new SignallingChannel(rooms, socket, request, dialect);
    },
    close: () => rooms.spc.close(),
    proxy(httpBase) {
      const webSocketBase = httpBase.replace(/^http/, 'ws');
      const urls = { webSocketBase, httpBase };
      return { v4: trtcJsSdkSignalling.proxy(urls), v5: trtcSdkV5Signalling.proxy(urls) };
    },
  };
}
