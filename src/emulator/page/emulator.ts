/**
 * The in-memory TRTC emulator: `createTrtcEmulator()` gives a drop-in `sdk` for `<trtc-room>` and an
 * `admin` with Tencent Cloud's server-side actions, sharing one RoomService in this page.
 */
import type { RoomBackend } from './backend.js';
import {
  RoomService,
  type RemoveUsersRequest,
  type RoomRef,
  type RoomServiceOptions,
  type RoomSnapshot,
} from '../core/room-service.js';
import { createEmulatedSdks, type EmulatedSdkOptions, type EmulatedSdks } from './sdk-shapes.js';
import { MediaRelay } from './media/relay.js';

export type { EmulatedTrtcV4, EmulatedTrtcV5 } from './sdk-shapes.js';

export interface TrtcEmulatorAdmin {
  /** RemoveUser / RemoveUserByStrRoomId: removes 1 to 10 users (reason `banned`). Rejects on a bad request, changing nothing. */
  removeUsers(request: RemoveUsersRequest): Promise<void>;
  /** DismissRoom / DismissRoomByStrRoomId: removes everyone (reason `room-disband`). Rejects on a bad request. */
  dismissRoom(request: RoomRef): Promise<void>;
  /** Every room and its members (a frozen copy, taken now). */
  readonly rooms: readonly RoomSnapshot[];
  /** Calls `listener` after every change of membership; returns a function that stops it. */
  onChange(listener: () => void): () => void;
}

export interface TrtcEmulator extends EmulatedSdks {
  admin: TrtcEmulatorAdmin;
  /**
   * The SDKs of another page (a second tab or device) on the same rooms, with its own page-wide join
   * guard: how a test has the same userId join from elsewhere (which kicks the earlier client), where
   * a second client in this page would be refused (4097), as trtc-js-sdk refuses it.
   */
  newPage(): EmulatedSdks;
}

export type TrtcEmulatorOptions = RoomServiceOptions & EmulatedSdkOptions;

/** Creates an emulator whose rooms live in this page. Needs no arguments. */
export function createTrtcEmulator(options: TrtcEmulatorOptions = {}): TrtcEmulator {
  const service = new RoomService(options);
  const backend: RoomBackend = {
    async join(request, sink) {
      const membership = await service.join(request, sink);
      return { leave: async () => service.leave(membership) };
    },
  };
  // One media relay for the emulator: newPage()'s clients see and hear this page's, as separate tabs would.
  const sdkOptions: EmulatedSdkOptions = {
    media: new MediaRelay(),
    ...(options.reconnectAttempts === undefined ? {} : { reconnectAttempts: options.reconnectAttempts }),
  };
  const sdks = createEmulatedSdks(backend, sdkOptions);
  const admin: TrtcEmulatorAdmin = {
    removeUsers: async (request) => service.removeUsers(request),
    dismissRoom: async (request) => service.dismissRoom(request),
    get rooms() {
      return service.snapshot();
    },
    onChange: (listener) => service.onChange(listener),
  };
  // A getter-preserving merge: liveClients stays live.
  const newPage = () => createEmulatedSdks(backend, sdkOptions);
  return Object.defineProperties({ admin, newPage } as TrtcEmulator, Object.getOwnPropertyDescriptors(sdks));
}
