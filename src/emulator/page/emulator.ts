/**
 * The in-memory TRTC emulator: `createTrtcEmulator()` gives a drop-in `sdk` for `<trtc-room>` and an
 * `admin` with Tencent Cloud's server-side actions, sharing one RoomService in this page.
 */
import type { BackendMembership, RoomBackend } from './backend.js';
import {
  PEER_LEAVE_REASON,
  RoomService,
  type Membership,
  type RemoveUsersRequest,
  type RoomRef,
  type RoomServiceOptions,
  type RoomSnapshot,
} from '../core/room-service.js';
import {
  checkRestart,
  CLEAR_LINK,
  FaultBoard,
  targets,
  type EmulatorFaults,
  type RestartOptions,
} from '../core/faults.js';
import { roomOfRelayKey } from '../core/wire-protocol.js';
import { createEmulatedSdks, type EmulatedSdkOptions, type EmulatedSdks } from './sdk-shapes.js';
import { MediaRelay } from './media/relay.js';
import { EmulatedRtcError } from './v4-client.js';
import { SCHEDULE_FAILED } from '../../sdk/v4-error-codes.js';

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
  /** Network faults: drop connections, refuse joins, degrade media, restart (docs/emulator.md#faults). */
  readonly faults: EmulatorFaults;
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

export type TrtcEmulatorOptions = Omit<RoomServiceOptions, 'faults'> &
  EmulatedSdkOptions & {
    /** How long a member whose connection dropped stays in its room unless its client comes back; default 90 s, as TRTC. */
    dropTimeoutMs?: number;
  };

/** As the networked emulator's default and TRTC's service: a dropped member is removed 90 s after its drop. */
const DEFAULT_DROP_TIMEOUT_MS = 90_000;

/** One client's connection to the in-memory service, while it is connected. */
interface Connection {
  membership: Membership;
  onLost: (error: Error) => void;
}

/** Creates an emulator whose rooms live in this page. Needs no arguments. */
export function createTrtcEmulator(options: TrtcEmulatorOptions = {}): TrtcEmulator {
  const board = new FaultBoard(options.now ? { now: () => options.now!() * 1000 } : {});
  const service = new RoomService({ ...options, faults: board });
  const dropTimeoutMs = options.dropTimeoutMs ?? DEFAULT_DROP_TIMEOUT_MS;
  // What each handle a client holds stands for; the connected ones; the dropped ones, until resumed or timed out.
  const memberships = new WeakMap<BackendMembership, Membership>();
  const connected = new Map<BackendMembership, Connection>();
  const dropped = new Map<Membership, ReturnType<typeof setTimeout>>();
  const undrop = (membership: Membership) => {
    clearTimeout(dropped.get(membership));
    dropped.delete(membership);
  };
  const backend: RoomBackend = {
    async join(request, sink, onLost, resume) {
      // A client whose connection is cut cannot reach the service, as the networked emulator's refused socket.
      if (board.isDropped(request))
        throw new EmulatedRtcError(
          SCHEDULE_FAILED,
          'Could not reach the TRTC emulator: its connection is dropped (an injected fault).',
        );
      const earlier = resume && memberships.get(resume);
      const resumed = earlier && dropped.has(earlier) ? service.resume(earlier, sink) : undefined;
      if (resumed) undrop(resumed);
      const membership = resumed ?? (await service.join(request, sink));
      const handle: BackendMembership = {
        leave: async () => {
          connected.delete(handle);
          service.leave(membership);
        },
      };
      memberships.set(handle, membership);
      connected.set(handle, { membership, onLost });
      return handle;
    },
  };
  // A drop cuts the connections it covers: the service keeps each member for the drop timeout, its client hears
  // of the loss in a task of its own (as a socket's close) and reconnects as its SDK does.
  board.onChange(({ phase, fault }) => {
    if (phase !== 'start' || fault.type !== 'drop') return;
    for (const [handle, { membership, onLost }] of [...connected]) {
      if (!targets(fault.target, membership)) continue;
      connected.delete(handle);
      dropped.set(
        membership,
        setTimeout(() => {
          dropped.delete(membership);
          service.leave(membership, PEER_LEAVE_REASON.TIMEOUT_LEAVE);
        }, dropTimeoutMs),
      );
      setTimeout(() => onLost(new Error(`The connection was dropped (fault ${fault.id}).`)));
    }
  });
  const faults: EmulatorFaults = {
    drop: (fault) => board.drop(fault),
    refuseJoins: (fault) => board.refuseJoins(fault),
    degradeMedia: (fault) => board.degradeMedia(fault),
    restore: (id) => board.restore(id),
    clear: () => board.clear(),
    get active() {
      return board.active;
    },
    async restart(restartOptions: RestartOptions = {}) {
      const { keepRooms, downMs } = checkRestart(restartOptions);
      const down = board.drop(downMs > 0 ? { durationMs: downMs } : {});
      if (!keepRooms) {
        for (const membership of [...dropped.keys()]) undrop(membership);
        service.reset();
      }
      if (downMs === 0) down.restore();
      await down.restored;
    },
  };
  // One media relay for the emulator: newPage()'s clients see and hear this page's, as separate tabs would.
  const sdkOptions: EmulatedSdkOptions = {
    // Each member's link follows the faults (`degradeMedia`, `drop`): its double's network quality reads it.
    media: new MediaRelay((room, userId) => {
      const where = roomOfRelayKey(room);
      return where ? board.linkOf({ ...where, userId }) : CLEAR_LINK;
    }),
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
    faults,
  };
  // A getter-preserving merge: liveClients stays live.
  const newPage = () => createEmulatedSdks(backend, sdkOptions);
  return Object.defineProperties({ admin, newPage } as TrtcEmulator, Object.getOwnPropertyDescriptors(sdks));
}
