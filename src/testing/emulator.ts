/**
 * The in-memory TRTC emulator: `createTrtcEmulator()` gives a drop-in `sdk` for `<trtc-room>` and an
 * `admin` with Tencent Cloud's server-side actions, sharing one RoomService in this page.
 */
import { FaultQueue, type RoomBackend } from './backend.js';
import { RoomService, type RemoveUsersRequest, type RoomRef, type RoomServiceOptions, type RoomSnapshot } from './room-service.js';
import { EmulatedV4Client, type EmulatedClientConfig } from './v4-client.js';
import { EmulatedV5Trtc, V5_ERROR_CODE, V5_EVENT } from './v5-client.js';

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

/** The v4-shaped SDK namespace: set it as `el.sdk`. */
export interface EmulatedTrtcV4 {
  createClient(config: EmulatedClientConfig): EmulatedV4Client;
}

/** The v5-shaped SDK class (`TRTC.create()`, `TRTC.EVENT`): set it as `el.sdk` to drive the v5 adapter. */
export interface EmulatedTrtcV5 {
  create(): EmulatedV5Trtc;
  readonly EVENT: typeof V5_EVENT;
  readonly ERROR_CODE: typeof V5_ERROR_CODE;
}

export interface TrtcEmulator {
  /** trtc-js-sdk v4's shape. */
  sdk: EmulatedTrtcV4;
  /** trtc-sdk-v5's shape, on the same rooms. */
  sdkV5: EmulatedTrtcV5;
  admin: TrtcEmulatorAdmin;
  /** Make the next join or leave of any client reject or hang. */
  faults: FaultQueue;
  /** The clients created and not yet destroyed. */
  readonly liveClients: readonly EmulatedV4Client[];
}

export type TrtcEmulatorOptions = RoomServiceOptions;

/** Creates an emulator whose rooms live in this page. Needs no arguments. */
export function createTrtcEmulator(options: TrtcEmulatorOptions = {}): TrtcEmulator {
  const service = new RoomService(options);
  const faults = new FaultQueue();
  const live = new Set<EmulatedV4Client>();
  const backend: RoomBackend = {
    async join(request, sink) {
      const membership = await service.join(request, sink);
      return { leave: async () => service.leave(membership) };
    },
  };
  const sdk: EmulatedTrtcV4 = {
    createClient(config) {
      if (typeof config !== 'object' || config === null) throw new TypeError('createClient needs a config object.');
      const client = new EmulatedV4Client({ ...config }, backend, faults, (destroyed) => live.delete(destroyed));
      live.add(client);
      return client;
    },
  };
  const sdkV5: EmulatedTrtcV5 = {
    create: () => new EmulatedV5Trtc((config) => sdk.createClient(config)),
    EVENT: V5_EVENT,
    ERROR_CODE: V5_ERROR_CODE,
  };
  const admin: TrtcEmulatorAdmin = {
    removeUsers: async (request) => service.removeUsers(request),
    dismissRoom: async (request) => service.dismissRoom(request),
    get rooms() {
      return service.snapshot();
    },
    onChange: (listener) => service.onChange(listener),
  };
  return {
    sdk,
    sdkV5,
    admin,
    faults,
    get liveClients() {
      return [...live];
    },
  };
}
