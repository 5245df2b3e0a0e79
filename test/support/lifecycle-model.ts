/**
 * The model-based lifecycle test: random sequences of commands drive up to four <trtc-room> elements, each
 * on the v4 or the v5 SDK shape, that share one in-memory emulator; after every step settles, the
 * contract's invariants are checked (numbered 1 to 5 as in issue 6), and a few rules around them.
 *
 * A sequence is plain data (`LifecycleSequence`): fast-check generates and shrinks it, a failure prints
 * it with `fc.stringify`, and the printed text can be pasted into REPLAYS in test/lifecycle-model.test.ts.
 */
import './guard.js';
import '../../src/index.js';
import fc from 'fast-check';
import type { TrtcRoom } from '../../src/index.js';
import { parseConfig, roomKey, type RoomConfig } from '../../src/config.js';
import { TRTC_ROOM_EVENTS, type RoomState, type TrtcRoomEventName } from '../../src/events.js';
import { setDefaultSdkImporter } from '../../src/sdk/loader.js';
import { loadVisits } from '../../src/session.js';
import { createTrtcEmulator, type TrtcEmulator } from '../../src/testing/index.js';
import { type EmulatedV4Client } from '../../src/emulator/page/v4-client.js';
import type { EmulatedV5Trtc } from '../../src/emulator/page/v5-client.js';

// ---------------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------------

/** Every input, by attribute name, with its property name. */
const INPUTS = {
  'sdk-app-id': 'sdkAppId',
  'room-id': 'roomId',
  'str-room-id': 'strRoomId',
  'user-id': 'userId',
  'user-sig': 'userSig',
  mode: 'mode',
  role: 'role',
  sdk: 'sdkGeneration',
} as const;
type InputName = keyof typeof INPUTS;

// Small pools, so that elements meet in rooms and collide on userIds. Every signature contains SECRET.
const SDK_APP_IDS = [1400000001, 1400000002];
const ROOM_IDS = [1, 2, 4294967294];
const STR_ROOM_IDS = ['1', 'room a', '{x}'];
const USER_IDS = ['alice', 'bob'];
const USER_SIGS = ['sig-SECRET-1', 'sig-SECRET-2'];
const SECRET = 'SECRET';

/** Valid and invalid values of each input, as attribute text (null: removed) and as property values. */
const ATTRIBUTE_VALUES: Record<InputName, { valid: Array<string | null>; invalid: string[] }> = {
  'sdk-app-id': { valid: ['1400000001', '1400000002', null, ''], invalid: ['0', '-5', '1.5', 'abc'] },
  'room-id': { valid: ['1', '2', null, ''], invalid: ['0', '4294967295', '12abc'] },
  'str-room-id': { valid: ['1', 'room a', null], invalid: ['bad/room', 'x'.repeat(65)] },
  'user-id': { valid: ['alice', 'bob', null], invalid: ['bad id', 'x'.repeat(33)] },
  'user-sig': { valid: ['sig-SECRET-1', 'sig-SECRET-2', null], invalid: [] },
  mode: { valid: ['rtc', 'live', null], invalid: ['video'] },
  role: { valid: ['anchor', 'audience', null], invalid: ['host'] },
  // Which SDK generation to import: element 0 (the one that imports) keeps its own, see `set`.
  sdk: { valid: ['v4', 'v5', null], invalid: ['v6'] },
};
const PROPERTY_VALUES: Record<InputName, { valid: unknown[]; invalid: unknown[] }> = {
  'sdk-app-id': { valid: [...SDK_APP_IDS, undefined], invalid: [0, -1, 1.5, Number.NaN, '12abc', { id: 1 }] },
  'room-id': { valid: [1, 2, undefined, null], invalid: ['12abc', Number.NaN, -1, { room: 1 }, 1.5, 4294967295] },
  'str-room-id': { valid: ['1', 'room a', undefined], invalid: [42, 'bad/room', ['a']] },
  'user-id': { valid: [...USER_IDS, undefined], invalid: [42, 'bad id', { id: 'alice' }] },
  'user-sig': { valid: [...USER_SIGS, undefined], invalid: [123, { sig: 'sig-SECRET-x' }] },
  mode: { valid: ['rtc', 'live', undefined], invalid: ['video', 1] },
  role: { valid: ['anchor', 'audience', undefined], invalid: ['host', true] },
  sdk: { valid: ['v4', 'v5', undefined], invalid: ['v6', 5] },
};

export type Via = 'attribute' | 'property';
export type Generation = 'v4' | 'v5';
export type FaultKind = 'reject' | 'hang' | 'hang-then-reject';

/**
 * One step. `i` and `j` pick elements (modulo how many there are). Without `wait` the step settles before
 * the next one; with `wait: 'none'` the next command follows in the same task, with `'task'` after one
 * zero-delay timer, so that commands race the element's own work.
 */
export type Command = CommandAction & { wait?: 'none' | 'task' };
type CommandAction =
  | { c: 'connect'; i: number }
  | { c: 'disconnect'; i: number }
  /** Removed and inserted again in the same task, into container 0 or 1. */
  | { c: 'move'; i: number; to: 0 | 1 }
  | { c: 'set'; i: number; via: Via; name: InputName; value: unknown }
  /** Sets one room input and clears the other. */
  | { c: 'room'; i: number; via: Via; room: number | string }
  /**
   * Element i takes element j's SDKAppID, room and userId: a second element joining with the same userId
   * (both on v4: refused with 4097 by the page-wide guard; with v5 in rtc mode: the earlier one is kicked).
   */
  | { c: 'same-user'; i: number; j: number; via: Via }
  | { c: 'join'; i: number }
  | { c: 'leave'; i: number }
  /** The app server removes element i's user from element i's room (RemoveUser). */
  | { c: 'remove-user'; i: number }
  /** The app server dismisses element i's room (DismissRoom). */
  | { c: 'dismiss-room'; i: number }
  /** The next join / leave of any client rejects, or hangs until a later `release` (then goes through or rejects). */
  | { c: 'fault-join'; kind: FaultKind }
  | { c: 'fault-leave'; kind: FaultKind }
  /** Lets the g-th (modulo) hanging operation settle. */
  | { c: 'release'; g: number }
  /** Element i's live SDK client fires an `error` event. */
  | { c: 'sdk-error'; i: number }
  /** Element i's `sdk` property: its working SDK, or something that is not an SDK (a failing load). */
  | { c: 'sdk'; i: number; valid: boolean }
  /** The next dynamic import of the SDK fails (element 0 has no `sdk` property and uses the import). */
  | { c: 'fail-import' }
  /** A listener on element i's next `on` event does `then` right away, inside the dispatch (as app code does). */
  | { c: 'react'; i: number; on: ReactionEvent; then: Reaction }
  /** Element i's camera or microphone on or off (only in sequences made with `{ media: true }`). */
  | { c: 'media'; i: number; via: Via; device: 'camera' | 'microphone'; on: boolean };

type ReactionEvent = 'joined' | 'left' | 'banned' | 'error' | 'state-change';
type Reaction = Extract<CommandAction, { c: 'join' | 'leave' | 'connect' | 'disconnect' | 'move' | 'room' }>;

export interface InitialElement {
  /** The SDK generation it drives: the emulator's v4 namespace or its v5 class, over the same rooms. */
  generation: Generation;
  sdkAppId: number;
  room: number | string;
  userId: string;
  userSig: string;
  mode: 'rtc' | 'live';
  via: Via;
  connected: boolean;
}

export interface LifecycleSequence {
  elements: InitialElement[];
  steps: Command[];
}

const slot = fc.nat({ max: 3 });
const via = fc.constantFrom<Via>('attribute', 'property');
const faultKind = fc.constantFrom<FaultKind>('reject', 'hang', 'hang-then-reject');
const inputName = fc.constantFrom(...(Object.keys(INPUTS) as InputName[]));

const setInput: fc.Arbitrary<CommandAction> = fc
  .record({ i: slot, via, name: inputName, valid: fc.boolean() })
  .chain(({ i, via, name, valid }) => {
    const pool = via === 'attribute' ? ATTRIBUTE_VALUES[name] : PROPERTY_VALUES[name];
    const values = valid || pool.invalid.length === 0 ? pool.valid : pool.invalid;
    return fc.constantFrom(...values).map((value): CommandAction => ({ c: 'set', i, via, name, value }));
  });

const action: fc.Arbitrary<CommandAction> = fc.oneof(
  { weight: 3, arbitrary: slot.map((i): CommandAction => ({ c: 'connect', i })) },
  { weight: 2, arbitrary: slot.map((i): CommandAction => ({ c: 'disconnect', i })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ i: slot, to: fc.constantFrom<0 | 1>(0, 1) })
      .map((r): CommandAction => ({ c: 'move', ...r })),
  },
  { weight: 5, arbitrary: setInput },
  {
    weight: 3,
    arbitrary: fc
      .record({ i: slot, via, room: fc.constantFrom<number | string>(...ROOM_IDS, ...STR_ROOM_IDS) })
      .map((r): CommandAction => ({ c: 'room', ...r })),
  },
  { weight: 2, arbitrary: fc.record({ i: slot, j: slot, via }).map((r): CommandAction => ({ c: 'same-user', ...r })) },
  { weight: 2, arbitrary: slot.map((i): CommandAction => ({ c: 'join', i })) },
  { weight: 2, arbitrary: slot.map((i): CommandAction => ({ c: 'leave', i })) },
  { weight: 1, arbitrary: slot.map((i): CommandAction => ({ c: 'remove-user', i })) },
  { weight: 1, arbitrary: slot.map((i): CommandAction => ({ c: 'dismiss-room', i })) },
  { weight: 1, arbitrary: faultKind.map((kind): CommandAction => ({ c: 'fault-join', kind })) },
  { weight: 1, arbitrary: faultKind.map((kind): CommandAction => ({ c: 'fault-leave', kind })) },
  { weight: 2, arbitrary: fc.nat({ max: 3 }).map((g): CommandAction => ({ c: 'release', g })) },
  { weight: 1, arbitrary: slot.map((i): CommandAction => ({ c: 'sdk-error', i })) },
  { weight: 1, arbitrary: fc.record({ i: slot, valid: fc.boolean() }).map((r): CommandAction => ({ c: 'sdk', ...r })) },
  { weight: 1, arbitrary: fc.constant<CommandAction>({ c: 'fail-import' }) },
);

const reaction: fc.Arbitrary<CommandAction> = fc
  .record({
    i: slot,
    on: fc.constantFrom<ReactionEvent>('joined', 'left', 'banned', 'error', 'state-change'),
    then: fc.oneof(
      slot.map((i): Reaction => ({ c: 'join', i })),
      slot.map((i): Reaction => ({ c: 'leave', i })),
      slot.map((i): Reaction => ({ c: 'connect', i })),
      slot.map((i): Reaction => ({ c: 'disconnect', i })),
      fc.record({ i: slot, to: fc.constantFrom<0 | 1>(0, 1) }).map((r): Reaction => ({ c: 'move', ...r })),
      fc
        .record({ i: slot, via, room: fc.constantFrom<number | string>(...ROOM_IDS, ...STR_ROOM_IDS) })
        .map((r): Reaction => ({ c: 'room', ...r })),
    ),
  })
  .map((r): CommandAction => ({ c: 'react', ...r }));

const mediaToggle: fc.Arbitrary<CommandAction> = fc
  .record({ i: slot, via, device: fc.constantFrom<'camera' | 'microphone'>('camera', 'microphone'), on: fc.boolean() })
  .map((r): CommandAction => ({ c: 'media', ...r }));

/** One step; with `media`, camera and microphone toggles join the actions (twice as often as a leave). */
const commandOf = (media: boolean): fc.Arbitrary<Command> =>
  fc
    .tuple(
      media
        ? fc.oneof(
            { weight: 12, arbitrary: action },
            { weight: 1, arbitrary: reaction },
            { weight: 4, arbitrary: mediaToggle },
          )
        : fc.oneof({ weight: 12, arbitrary: action }, { weight: 1, arbitrary: reaction }),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('none' as const, 'task' as const) },
      ),
    )
    .map(([act, wait]) => (wait ? { ...act, wait } : act));

const initialElement: fc.Arbitrary<InitialElement> = fc.record({
  generation: fc.constantFrom<Generation>('v4', 'v5'),
  sdkAppId: fc.constantFrom(...SDK_APP_IDS),
  room: fc.constantFrom<number | string>(...ROOM_IDS, ...STR_ROOM_IDS),
  userId: fc.constantFrom(...USER_IDS),
  userSig: fc.constantFrom(...USER_SIGS),
  mode: fc.constantFrom<'rtc' | 'live'>('rtc', 'live'),
  via,
  connected: fc.boolean(),
});

export function lifecycleSequences(maxSteps = 40, options: { media?: boolean } = {}): fc.Arbitrary<LifecycleSequence> {
  return fc.record({
    elements: fc.array(initialElement, { minLength: 1, maxLength: 4 }),
    steps: fc.array(commandOf(options.media === true), { maxLength: maxSteps, size: 'max' }),
  });
}

// ---------------------------------------------------------------------------------------------------
// The world: elements, their clients, the emulator, and what the model knows of each element
// ---------------------------------------------------------------------------------------------------

interface Recorded {
  type: TrtcRoomEventName;
  detail: any;
  bubbles: boolean;
  composed: boolean;
  stateAttribute: string | null;
}

const EVENT_NAMES: readonly TrtcRoomEventName[] = TRTC_ROOM_EVENTS;
const HOLDS = ['left', 'banned', 'error'] as const;
type HoldState = (typeof HOLDS)[number];

/** What the model needs of an SDK client (v4) or TRTC instance (v5), whatever the generation. */
interface Tracked {
  readonly destroyed: boolean;
  /** In a room, as the emulator sees it. */
  readonly joined: boolean;
  /** The element's handlers still on it. */
  readonly handlerCount: number;
  /** Fires the SDK's `error` event. */
  failWith(): void;
}

/** What a join asked for, in one shape for both generations. */
interface JoinRequestSeen {
  sdkAppId: unknown;
  roomId: unknown;
  userId: unknown;
  userSig: unknown;
  mode: unknown;
  stringRoom: boolean;
  role: unknown;
}

/** The element's private fields this test reads: is its session working, and is its disconnect timer set. */
interface Internals {
  session: { converging: boolean; active: boolean };
  pendingDisconnect: unknown;
}

interface Element {
  readonly index: number;
  readonly el: TrtcRoom;
  /** The `sdk` property value that works: a per-element wrapper, or undefined (element 0: the lazy import). */
  readonly workingSdk: unknown;
  readonly generation: Generation;
  readonly clients: Tracked[];
  readonly events: Recorded[];
  /** Events already checked for joined/left/banned pairing. */
  checkedEvents: number;
  /** The room of the `joined` not yet followed by `left` or `banned`. */
  openJoin: { roomId: unknown; userId: unknown } | null;
  /** The state the previous state-change went to. */
  lastState: RoomState;
  /** Attributes the test set (the element must reflect none but `state`). */
  readonly attributes: Map<string, string>;
  /** SDK calls (join/leave) in flight. */
  inFlight: number;
  /** Removed from the document, and the task after that has not come yet: inserting it now is a move. */
  removedThisTask: boolean;
  clientsCreatedThisStep: number;
  /** The key of the last valid config while connected: a different one is a change of room or identity. */
  lastKey: string | null;
  /** Put out by a ban: must not join again until join(), a reconnect, or a change of room or identity. */
  banHold: boolean;
  /** What could explain a held state since the last clearing action. */
  readonly justified: Set<HoldState>;
}

interface Gate {
  resolve(): void;
  released: boolean;
}

const internals = (el: TrtcRoom) => el as unknown as Internals;
/** [sdkAppId, roomId, userId] of the room each client was asked to join. */
const joinedAs = new WeakMap<Tracked, string>();
const live = (element: Element) => element.clients.filter((client) => !client.destroyed);

class World {
  readonly emulator: TrtcEmulator = createTrtcEmulator({ sdkAppIds: SDK_APP_IDS });
  readonly containers: HTMLElement[];
  readonly elements: Element[];
  readonly gates: Gate[] = [];
  readonly problems: string[] = [];
  failNextImport = false;
  imports = 0;
  inBanCallbackOf: Element | null = null;
  /** Elements a reaction acted on during the current group: their holds are not modelled until cleared. */
  readonly reacted = new Set<Element>();
  /** Set once the sequence is over: reactions still armed do nothing. */
  finishing = false;
  private readonly pendingTimers = new Set<number>();
  private readonly restorers: Array<() => void> = [];
  private readonly channel = new MessageChannel();
  private readonly taskWaiters: Array<() => void> = [];
  private readonly realSetTimeout = window.setTimeout;
  step = -1;

  constructor(initial: InitialElement[]) {
    this.containers = [0, 1].map(() => document.body.appendChild(document.createElement('div')));
    this.channel.port1.onmessage = () => this.taskWaiters.shift()?.();
    this.trackTimers();
    this.watchErrors();
    this.countCaptures();
    this.elements = initial.map((config, index) => this.createElement(index, config));
    // Element 0 sets no `sdk` property: it imports the SDK of its generation, the emulator's here.
    const importer = this.elements[0];
    const importedSdk = this.wrapperFor(importer);
    for (const generation of ['v4', 'v5'] as const) {
      this.restorers.push(
        setDefaultSdkImporter(async () => {
          this.imports += 1;
          if (generation !== importer.generation)
            this.problems.push(`element 0 imported the ${generation} SDK, not the ${importer.generation} one it names`);
          if (this.failNextImport) {
            this.failNextImport = false;
            throw new TypeError('Failed to fetch dynamically imported module (injected).');
          }
          return importedSdk;
        }, generation),
      );
    }
  }

  // -- set-up ---------------------------------------------------------------------------------------

  /** Counts this page's pending timers (the element's disconnect timer, the emulator's server pushes). */
  private trackTimers(): void {
    const realSetTimeout = window.setTimeout;
    const realClearTimeout = window.clearTimeout;
    const pending = this.pendingTimers;
    window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
      // Only zero-delay timers: the element's and the emulator's are, a test runner's own are not.
      if (timeout) return realSetTimeout(handler, timeout, ...args);
      const id: number = realSetTimeout(() => {
        pending.delete(id);
        (handler as (...a: unknown[]) => void)(...args);
      }, 0);
      pending.add(id);
      return id;
    }) as typeof window.setTimeout;
    window.clearTimeout = ((id?: number) => {
      if (id !== undefined) pending.delete(id);
      realClearTimeout(id);
    }) as typeof window.clearTimeout;
    this.restorers.push(() => {
      window.setTimeout = realSetTimeout;
      window.clearTimeout = realClearTimeout;
    });
  }

  /** Captures asked of the page's devices and not yet answered: the model waits for them before it looks for leaks. */
  capturesInFlight = 0;

  private countCaptures(): void {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia;
    devices.getUserMedia = async (constraints) => {
      this.capturesInFlight += 1;
      try {
        return await original.call(devices, constraints);
      } finally {
        this.capturesInFlight -= 1;
      }
    };
    this.restorers.push(() => {
      devices.getUserMedia = original;
    });
  }

  private watchErrors(): void {
    const onRejection = (event: PromiseRejectionEvent) =>
      this.problems.push(`unhandled rejection: ${String(event.reason?.stack ?? event.reason)}`);
    const onError = (event: ErrorEvent) =>
      this.problems.push(`uncaught error: ${String(event.error?.stack ?? event.message)}`);
    window.addEventListener('unhandledrejection', onRejection);
    window.addEventListener('error', onError);
    this.restorers.push(() => {
      window.removeEventListener('unhandledrejection', onRejection);
      window.removeEventListener('error', onError);
    });
  }

  /** An SDK over the shared emulator, in the element's generation, that knows the element each client belongs to. */
  private wrapperFor(element: Element): unknown {
    const created = () => {
      const others = live(element);
      if (others.length > 0)
        this.fail(element, `creates a client while ${others.length} of its clients is still alive (invariant 1)`);
      element.clientsCreatedThisStep += 1;
    };
    if (element.generation === 'v4') {
      return {
        createStream: (config: Parameters<TrtcEmulator['sdk']['createStream']>[0]) =>
          this.emulator.sdk.createStream(config),
        createClient: (config: Parameters<TrtcEmulator['sdk']['createClient']>[0]) => {
          created();
          const client: EmulatedV4Client = this.emulator.sdk.createClient(config);
          element.clients.push(client);
          this.instrument(element, client, client, {
            join: 'join',
            leave: 'leave',
            banEvent: 'client-banned',
            request: ([options]) => {
              const { roomId, role } = options as { roomId: unknown; role?: unknown };
              const { sdkAppId, userId, userSig, mode, useStringRoomId } = client.config;
              return { sdkAppId, roomId, userId, userSig, mode, stringRoom: useStringRoomId === true, role };
            },
          });
          return client;
        },
      };
    }
    const { sdkV5 } = this.emulator;
    return {
      EVENT: sdkV5.EVENT,
      ERROR_CODE: sdkV5.ERROR_CODE,
      create: () => {
        created();
        const trtc: EmulatedV5Trtc = sdkV5.create();
        const tracked: Tracked = {
          get destroyed() {
            return trtc.destroyed;
          },
          get joined() {
            return trtc.joined;
          },
          get handlerCount() {
            return trtc.handlerCount;
          },
          failWith: () => trtc.failWith(),
        };
        element.clients.push(tracked);
        this.instrument(element, trtc, tracked, {
          join: 'enterRoom',
          leave: 'exitRoom',
          banEvent: sdkV5.EVENT.KICKED_OUT,
          request: ([params]) => {
            const p = params as {
              sdkAppId: unknown;
              roomId?: unknown;
              strRoomId?: unknown;
              userId: unknown;
              userSig: unknown;
              scene?: unknown;
              role?: unknown;
            };
            const stringRoom = p.strRoomId !== undefined;
            return {
              sdkAppId: p.sdkAppId,
              roomId: stringRoom ? p.strRoomId : p.roomId,
              userId: p.userId,
              userSig: p.userSig,
              mode: p.scene,
              stringRoom,
              role: p.role,
            };
          },
        });
        return trtc;
      },
    };
  }

  /**
   * Watches one client as the element uses it: its join and leave (in flight, called once each, only for
   * the room its inputs give), its ban event (the `banned` event must come inside it), its destroy.
   */
  private instrument(
    element: Element,
    client: any,
    tracked: Tracked,
    names: { join: string; leave: string; banEvent: string; request: (args: unknown[]) => JoinRequestSeen },
  ): void {
    const calls = { join: 0, leave: 0 };
    for (const method of ['join', 'leave'] as const) {
      const name = names[method];
      const original = client[name].bind(client) as (...args: unknown[]) => Promise<void>;
      client[name] = (...args: unknown[]) => {
        // A client is made for one visit: joined once, left at most once, then destroyed.
        if (++calls[method] > 1)
          this.problems.push(`element ${element.index}: ${name}() called ${calls[method]} times on one client`);
        if (tracked.destroyed) this.problems.push(`element ${element.index}: ${name}() called on a destroyed client`);
        if (method === 'join') {
          const request = names.request(args);
          joinedAs.set(tracked, JSON.stringify([request.sdkAppId, request.roomId, request.userId]));
          this.checkJoinIsWanted(element, request);
        }
        element.inFlight += 1;
        return original(...args).finally(() => {
          element.inFlight -= 1;
        });
      };
    }
    // Know when the element is inside this client's ban callback: `banned` must be dispatched there.
    const on = client.on.bind(client);
    const off = client.off.bind(client);
    const wrapped = new Map<unknown, (payload: unknown) => void>();
    client.on = (event: string, handler: (payload: unknown) => void) => {
      if (event !== names.banEvent) return on(event, handler);
      const inCallback = (payload: unknown) => {
        this.inBanCallbackOf = element;
        try {
          handler(payload);
        } finally {
          this.inBanCallbackOf = null;
        }
      };
      wrapped.set(handler, inCallback);
      return on(event, inCallback);
    };
    client.off = (event: string, handler?: (payload: unknown) => void) =>
      off(event, (handler && wrapped.get(handler)) ?? handler);
    const destroy = client.destroy.bind(client);
    client.destroy = () => {
      // Its own handlers come off before the client is destroyed: nothing of the element stays on it.
      if (!tracked.destroyed && tracked.handlerCount)
        this.problems.push(
          `element ${element.index}: destroyed a client with ${tracked.handlerCount} of its handlers still on`,
        );
      destroy();
    };
  }

  private createElement(index: number, initial: InitialElement): Element {
    const el = document.createElement('trtc-room');
    const element: Element = {
      index,
      el,
      workingSdk: undefined,
      generation: initial.generation,
      clients: [],
      events: [],
      checkedEvents: 0,
      openJoin: null,
      lastState: 'idle',
      attributes: new Map(),
      inFlight: 0,
      removedThisTask: false,
      clientsCreatedThisStep: 0,
      lastKey: null,
      banHold: false,
      justified: new Set(),
    };
    if (index > 0) (element as { workingSdk: unknown }).workingSdk = this.wrapperFor(element);
    el.sdk = element.workingSdk as TrtcRoom['sdk'];
    for (const type of EVENT_NAMES) {
      el.addEventListener(type, (event: Event) => {
        const { detail, bubbles, composed } = event as CustomEvent;
        element.events.push({ type, detail, bubbles, composed, stateAttribute: el.getAttribute('state') });
        if (type === 'banned') {
          element.justified.add('banned');
          if (this.inBanCallbackOf !== element)
            this.problems.push(
              `element ${index}: banned was not dispatched in the task of the SDK's client-banned callback`,
            );
        }
        if (type === 'error') element.justified.add('error');
        if (type === 'error' && detail.code === 'join-failed' && detail.sdkCode === 0x1001) {
          // trtc-js-sdk's page-wide join guard, which the v4 double keeps (all elements share one page): a
          // second client of the page in the same room as the same user is refused, not kicked, and says why.
          count('join-failed:same-page');
          if (element.generation !== 'v4')
            this.problems.push(
              `element ${index}: a 4097 join refusal on the v5 shape, which has no page-wide guard in rtc mode`,
            );
          else if (!/another client in this page is already in .* as user /.test(detail.message))
            this.problems.push(
              `element ${index}: a 4097 join refusal that does not say another client of the page is in: ${detail.message}`,
            );
        }
      });
    }
    const stringRoom = typeof initial.room === 'string';
    this.setInput(
      element,
      initial.via,
      'sdk-app-id',
      initial.via === 'attribute' ? String(initial.sdkAppId) : initial.sdkAppId,
    );
    this.setInput(
      element,
      initial.via,
      stringRoom ? 'str-room-id' : 'room-id',
      initial.via === 'attribute' ? String(initial.room) : initial.room,
    );
    this.setInput(element, initial.via, 'user-id', initial.userId);
    this.setInput(element, initial.via, 'user-sig', initial.userSig);
    this.setInput(element, initial.via, 'mode', initial.mode);
    if (index === 0 && initial.generation === 'v5') this.setInput(element, initial.via, 'sdk', 'v5');
    if (initial.connected) {
      this.containers[0].append(el);
      element.lastKey = this.keyOf(element);
    }
    return element;
  }

  // -- commands -------------------------------------------------------------------------------------

  private setInput(element: Element, via: Via, name: InputName, value: unknown): void {
    if (via === 'attribute') {
      if (value === null || value === undefined) {
        element.el.removeAttribute(name);
        element.attributes.delete(name);
      } else {
        element.el.setAttribute(name, String(value));
        element.attributes.set(name, String(value));
      }
    } else {
      (element.el as unknown as Record<string, unknown>)[INPUTS[name]] = value;
    }
  }

  private keyOf(element: Element): string | null {
    const config = this.configOf(element);
    return config && roomKey(config);
  }

  private configOf(element: Element): RoomConfig | null {
    const result = parseConfig(element.el);
    return result.status === 'valid' ? result.config : null;
  }

  /**
   * The element joins only the room its inputs give now, with the signature they give now: a room
   * superseded before its join began is never joined, and a removed element joins nothing.
   */
  private checkJoinIsWanted(element: Element, joining: JoinRequestSeen): void {
    const { el } = element;
    if (!el.isConnected && internals(el).pendingDisconnect === undefined) {
      this.problems.push(`element ${element.index}: joins a room while it is not in the document`);
      return;
    }
    if (el.isUpdatePending) return; // the element has not seen its latest inputs yet
    const config = this.configOf(element);
    const wanted = config && {
      sdkAppId: config.sdkAppId,
      roomId: config.roomId,
      userId: config.userId,
      userSig: config.userSig,
      mode: config.mode,
      stringRoom: typeof config.roomId === 'string',
      role: config.role,
    };
    if (JSON.stringify(joining) !== JSON.stringify(wanted)) {
      this.problems.push(
        `element ${element.index}: joins ${JSON.stringify(joining).replace(/sig-SECRET/g, 'sig')} while its inputs give ${JSON.stringify(wanted)?.replace(/sig-SECRET/g, 'sig')}`,
      );
    }
  }

  private elementAt(i: number): Element {
    return this.elements[i % this.elements.length];
  }

  /**
   * Runs a group of commands (each but the last has a `wait`: no settling in between, so they race
   * the element's own work), then settles and checks the invariants.
   */
  async runGroup(group: Command[]): Promise<void> {
    this.reacted.clear();
    for (const e of this.elements) e.clientsCreatedThisStep = 0;
    const heldBefore = new Map(this.elements.map((e) => [e, e.banHold]));
    const eventsBefore = new Map(this.elements.map((e) => [e, e.events.length]));
    const only = group.length === 1 ? group[0] : undefined;
    const target = only && 'i' in only ? this.elementAt(only.i) : undefined;
    const joinedBefore =
      target?.el.state === 'joined' ? { key: this.keyOf(target), clients: target.clients.length } : null;
    // join(), a real reconnect and a change of room or identity clear a hold: which elements does this group clear?
    const cleared = new Set<Element>();
    const touches = new Map<Element, number>();
    const joins: Array<[Element, Promise<unknown>]> = [];

    for (const command of group) {
      const element = 'i' in command ? this.elementAt(command.i) : undefined;
      if (element) touches.set(element, (touches.get(element) ?? 0) + 1);
      const started = await this.apply(command, element, cleared, group.length === 1);
      if (started) joins.push([element!, started.join]);
      // A zero-delay timer: the element's disconnect timer and the emulator's pushes scheduled before it run first.
      if (command.wait === 'task') await this.timer();
    }

    // Several commands on one element within a task or two: what the element saw of them is not modelled.
    const unmodelled = [...touches].filter(([, count]) => count > 1).map(([e]) => e);
    for (const e of unmodelled) {
      e.banHold = false;
      for (const hold of HOLDS) e.justified.add(hold);
    }

    await this.settle();

    const what = JSON.stringify(group.length === 1 ? group[0] : group);
    for (const [element, outcome] of joins) {
      if (!element.el.isConnected || this.blocked(element)) continue;
      // join() settles with the element (unless one of its SDK calls hangs).
      const settled = await Promise.race([outcome.then(() => true), this.nextTask().then(() => false)]);
      if (!settled) this.fail(element, `join() did not settle although the element did, on ${what}`);
    }
    for (const e of this.elements) {
      if (heldBefore.get(e) && !cleared.has(e) && !unmodelled.includes(e) && !this.reacted.has(e)) {
        // Invariant 4: a banned element never rejoins by itself.
        if (e.clientsCreatedThisStep > 0)
          this.fail(e, `created an SDK client while held out by a ban, on ${what} (invariant 4)`);
        const joined = e.events.slice(eventsBefore.get(e)).some((event) => event.type === 'joined');
        if (joined) this.fail(e, `joined again while held out by a ban, on ${what} (invariant 4)`);
      }
    }
    if (
      target &&
      joinedBefore &&
      !this.reacted.has(target) &&
      ['set', 'room', 'same-user', 'move', 'sdk'].includes(only!.c) &&
      this.keyOf(target) === joinedBefore.key
    ) {
      // A move, a new user-sig, a new sdk, or a value that changes no room or identity: the element stays as it was.
      const seen = target.events
        .slice(eventsBefore.get(target))
        // The SDK's connection and the call's media (a publish that settles now, after an earlier toggle), the
        // browser's devices (their lists filling after the join's capture) and the network's rating are not the
        // inputs' doing.
        .filter(
          (event) =>
            ![
              'connection-state-change',
              'local-media',
              'autoplay-blocked',
              'devices-change',
              'device-fallback',
              'network-quality',
            ].includes(event.type) && !event.type.startsWith('peer-'),
        );
      if (seen.length || target.clients.length !== joinedBefore.clients || target.el.state !== 'joined') {
        this.fail(
          target,
          `${what} changes neither room nor identity, yet the element dispatched [${seen.map((e) => e.type).join(', ')}] and made ${target.clients.length - joinedBefore.clients} clients`,
        );
      }
    }
    this.check();
    for (const e of this.elements) {
      if (e.el.state === 'banned' && !this.blocked(e)) e.banHold = true;
      // Settled, a connected element has seen its inputs: its latest valid config is the one a change is measured from.
      if (e.el.isConnected) e.lastKey = this.keyOf(e) ?? e.lastKey;
    }
  }

  /**
   * Removes the element from the document. Inserted again before the next timer task (the element's
   * own, which it sets on removal, runs first), it has moved rather than left.
   */
  private remove(element: Element): void {
    element.el.remove();
    element.removedThisTask = true;
    this.realSetTimeout.call(window, () => (element.removedThisTask = false), 0);
  }

  /** join(), a real reconnect, or a change of room or identity: the element may join again. Called before the element hears of it. */
  private clearHold(element: Element, cleared: Set<Element>): void {
    cleared.add(element);
    element.banHold = false;
    element.justified.clear();
  }

  /** After an input changed: a different valid config (seen while connected) is a change of room or identity. */
  private noteInputs(element: Element, cleared: Set<Element>): void {
    if (!element.el.isConnected) return;
    const key = this.keyOf(element);
    if (key === null) return;
    if (element.lastKey !== null && key !== element.lastKey) this.clearHold(element, cleared);
    element.lastKey = key;
  }

  /** Does one command; returns the outcome of a join() on a connected element (wrapped: an async function would wait for it). */
  private async apply(
    command: Command,
    element: Element | undefined,
    cleared: Set<Element>,
    alone: boolean,
  ): Promise<{ join: Promise<unknown> } | undefined> {
    switch (command.c) {
      case 'connect':
        if (!element!.el.isConnected) {
          // Back before the task that follows its removal: a move, which clears no hold.
          if (!element!.removedThisTask) this.clearHold(element!, cleared);
          this.containers[0].append(element!.el);
          element!.lastKey = this.keyOf(element!) ?? element!.lastKey;
        }
        return;
      case 'disconnect':
        if (element!.el.isConnected) {
          this.remove(element!);
          element!.justified.add('left');
        }
        return;
      case 'move':
        if (element!.el.isConnected) this.containers[command.to].append(element!.el);
        return;
      case 'set': {
        let { value } = command;
        // Element 0 imports the SDK it names: a valid `sdk` there names its own generation.
        if (element!.index === 0 && command.name === 'sdk' && [undefined, null, 'v4', 'v5'].includes(value as string))
          value = element!.generation;
        this.setInput(element!, command.via, command.name, value);
        this.noteInputs(element!, cleared);
        return;
      }
      case 'room': {
        const numeric = typeof command.room === 'number';
        this.setInput(
          element!,
          command.via,
          numeric ? 'room-id' : 'str-room-id',
          command.via === 'attribute' ? String(command.room) : command.room,
        );
        this.setInput(element!, command.via, numeric ? 'str-room-id' : 'room-id', undefined);
        this.noteInputs(element!, cleared);
        return;
      }
      case 'same-user': {
        const source = this.elementAt(command.j);
        if (source === element) return;
        const from = source.el as unknown as Record<string, unknown>;
        for (const name of ['sdk-app-id', 'room-id', 'str-room-id', 'user-id'] as const) {
          const value = from[INPUTS[name]];
          const absent = value === undefined || value === null || value === '';
          this.setInput(
            element!,
            command.via,
            name,
            command.via === 'attribute' && !absent ? String(value) : absent ? undefined : value,
          );
        }
        this.noteInputs(element!, cleared);
        return;
      }
      case 'join': {
        const { el } = element!;
        const connected = el.isConnected;
        const eventsBefore = element!.events.length;
        if (connected) this.clearHold(element!, cleared);
        const outcome = el.join().then(
          () => undefined,
          (error: unknown) => error,
        );
        if (connected) {
          this.noteInputs(element!, cleared);
          return { join: outcome };
        }
        const error = await outcome;
        if (!(error instanceof DOMException) || error.name !== 'InvalidStateError') {
          this.fail(element!, `join() while disconnected must reject with InvalidStateError; got ${String(error)}`);
        }
        if (alone && element!.events.length !== eventsBefore)
          this.fail(element!, 'join() while disconnected dispatched an event');
        return;
      }
      case 'leave':
        element!.justified.add('left');
        void element!.el
          .leave()
          .catch((error: unknown) =>
            this.problems.push(`element ${element!.index}: leave() rejected: ${String(error)}`),
          );
        return;
      case 'remove-user':
      case 'dismiss-room': {
        const config = this.configOf(element!);
        if (!config) return;
        const room =
          typeof config.roomId === 'number'
            ? { sdkAppId: config.sdkAppId, roomId: config.roomId }
            : { sdkAppId: config.sdkAppId, strRoomId: config.roomId };
        // A room no one is in does not exist for Tencent Cloud: that refusal is expected.
        const request =
          command.c === 'remove-user'
            ? this.emulator.admin.removeUsers({ ...room, userIds: [config.userId] })
            : this.emulator.admin.dismissRoom(room);
        await request.catch((error: unknown) => {
          if ((error as { code?: string }).code !== 'FailedOperation.RoomNotExist') throw error;
        });
        return;
      }
      case 'fault-join':
      case 'fault-leave': {
        const fault =
          command.kind === 'reject'
            ? ({ type: 'reject' } as const)
            : ({ type: 'delay', until: this.gate(), then: command.kind === 'hang' ? 'resolve' : 'reject' } as const);
        if (command.c === 'fault-join') this.emulator.faults.nextJoin(fault);
        else this.emulator.faults.nextLeave(fault);
        return;
      }
      case 'release': {
        const waiting = this.gates.filter((gate) => !gate.released);
        if (waiting.length) waiting[command.g % waiting.length].resolve();
        return;
      }
      case 'sdk-error':
        live(element!).at(-1)?.failWith();
        return;
      case 'sdk':
        element!.el.sdk = (command.valid ? element!.workingSdk : { notAnSdk: true }) as TrtcRoom['sdk'];
        return;
      case 'fail-import':
        this.failNextImport = true;
        return;
      case 'media':
        if (command.via === 'property')
          (element!.el as unknown as Record<string, boolean>)[command.device] = command.on;
        else if (command.on) {
          element!.el.setAttribute(command.device, '');
          element!.attributes.set(command.device, '');
        } else {
          element!.el.removeAttribute(command.device);
          element!.attributes.delete(command.device);
        }
        return;
      case 'react': {
        const then = command.then;
        const other = this.elementAt(then.i);
        element!.el.addEventListener(command.on, () => this.finishing || this.react(other, then), { once: true });
        return;
      }
    }
  }

  /** A reaction, inside an event dispatch. What the element makes of it is not modelled (see `reacted`). */
  private react(element: Element, action: Reaction): void {
    const { el } = element;
    const cleared = new Set<Element>();
    switch (action.c) {
      case 'join':
        void el.join().catch(() => undefined);
        break;
      case 'leave':
        void el
          .leave()
          .catch((error: unknown) =>
            this.problems.push(`element ${element.index}: leave() rejected: ${String(error)}`),
          );
        break;
      case 'connect':
        if (!el.isConnected) this.containers[0].append(el);
        break;
      case 'disconnect':
        this.remove(element);
        break;
      case 'move':
        if (el.isConnected) this.containers[action.to].append(el);
        break;
      case 'room': {
        const numeric = typeof action.room === 'number';
        this.setInput(
          element,
          action.via,
          numeric ? 'room-id' : 'str-room-id',
          action.via === 'attribute' ? String(action.room) : action.room,
        );
        this.setInput(element, action.via, numeric ? 'str-room-id' : 'room-id', undefined);
        this.noteInputs(element, cleared);
        break;
      }
    }
    this.reacted.add(element);
    element.banHold = false;
    for (const hold of HOLDS) element.justified.add(hold);
  }

  private gate(): Promise<void> {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const gate: Gate = {
      released: false,
      resolve: () => {
        gate.released = true;
        resolve();
      },
    };
    this.gates.push(gate);
    return promise;
  }

  // -- settling -------------------------------------------------------------------------------------

  /** A task of its own (a message, not a timer: chained timers would be clamped to 4 ms). */
  nextTask(): Promise<void> {
    return new Promise((resolve) => {
      this.taskWaiters.push(resolve);
      this.channel.port2.postMessage(null);
    });
  }

  private timer(): Promise<void> {
    return new Promise((resolve) => this.realSetTimeout.call(window, resolve, 0));
  }

  /** True while element has an SDK call in flight that waits on a hanging fault. */
  private blocked(element: Element): boolean {
    return element.inFlight > 0 && this.gates.some((gate) => !gate.released);
  }

  /**
   * Waits until every element's update and session are idle (or wait on a hanging SDK call) and no
   * timer of the page is pending: the element's disconnect timer and the emulator's pushes have run.
   */
  async settle(): Promise<void> {
    let stuckRounds = 0;
    for (let round = 0; ; round++) {
      if (round > 500) throw new Error(`step ${this.step}: the elements did not settle within 500 tasks`);
      await this.nextTask();
      if (this.pendingTimers.size > 0) {
        await this.timer();
        continue;
      }
      if (this.elements.some((e) => e.el.isConnected && e.el.isUpdatePending)) continue;
      const busy = this.elements.filter((e) => internals(e.el).session.converging && !this.blocked(e));
      if (busy.length === 0) break;
      // A session still working with no SDK call, no timer and no microtask left can never finish.
      const stuck = busy.filter((e) => e.inFlight === 0);
      if (stuck.length && ++stuckRounds > 3) {
        const session = internals(stuck[0].el).session as unknown as Record<string, unknown>;
        const about = {
          visit: Boolean(session.visit),
          hold: session.hold,
          desired: Boolean(session.desired),
          imports: this.imports,
          clients: stuck[0].clients.length,
          sdk: typeof stuck[0].el.sdk,
        };
        this.fail(
          stuck[0],
          `is stuck in state ${stuck[0].el.state}: its session works on with nothing left to wait for ${JSON.stringify(about)}`,
        );
      }
    }
    await this.nextTask();
  }

  // -- the invariants -------------------------------------------------------------------------------

  private fail(element: Element | null, message: string): never {
    const who = element ? `element ${element.index} (${element.el.getAttribute('state') ?? 'no state'}): ` : '';
    throw new Error(`step ${this.step}: ${who}${message}`);
  }

  check(): void {
    if (this.problems.length) this.fail(null, this.problems.join('\n'));
    const snapshot = this.emulator.admin.rooms;
    const members: string[] = [];
    for (const room of snapshot)
      for (const userId of room.members) members.push(JSON.stringify([room.sdkAppId, room.roomId, userId]));

    const joinedClients: string[] = [];
    for (const element of this.elements) {
      const { el } = element;
      const alive = live(element);
      // 1. At most one live SDK client per element, so never two rooms.
      if (alive.length > 1) this.fail(element, `has ${alive.length} live SDK clients (invariant 1)`);
      for (const client of alive) {
        if (client.joined) joinedClients.push(String(joinedAs.get(client)));
      }
      this.checkEvents(element);

      const state = el.state;
      const attribute = el.getAttribute('state');
      if (attribute !== null && attribute !== state)
        this.fail(element, `reflects state "${attribute}" but its state is "${state}" (invariant 3)`);
      if (attribute === null && state !== 'idle') this.fail(element, `is in state ${state} without a state attribute`);
      this.checkAttributes(element);

      const blocked = this.blocked(element);
      const config = this.configOf(element);
      // 2. Joined means a member of exactly the room and userId it was given, through its live client.
      if (state === 'joined') {
        if (!config) this.fail(element, 'is joined with inputs that are not a valid config');
        const client = alive[0];
        if (!client?.joined) this.fail(element, 'is in state joined but its SDK client is in no room (invariant 2)');
        const expected = JSON.stringify([config.sdkAppId, config.roomId, config.userId]);
        const actual = String(joinedAs.get(client));
        if (expected !== actual) this.fail(element, `is joined to ${actual} but was given ${expected} (invariant 2)`);
        if (!members.includes(expected))
          this.fail(element, `is in state joined but the emulator has no member ${expected} (invariant 2)`);
        if (!el.isConnected) this.fail(element, 'is joined while not in the document');
      } else if (!blocked) {
        if (alive.some((client) => client.joined))
          this.fail(element, `is in state ${state} but its SDK client is still in a room (invariant 2)`);
      } else if (state !== 'leaving' && alive.some((client) => client.joined)) {
        this.fail(
          element,
          `is in state ${state} (waiting on a hanging SDK call) but its SDK client is in a room (invariant 2)`,
        );
      }

      if (blocked) continue;
      // Every settled element rests in a state its inputs and history explain.
      if (state === 'joining' || state === 'leaving')
        this.fail(element, `rests in state ${state} with no SDK call in flight`);
      if (!el.isConnected) {
        if (alive.length) this.fail(element, 'keeps an SDK client after it was removed from the document');
      } else if (state !== 'joined') {
        const hold = (HOLDS as readonly string[]).includes(state) ? (state as HoldState) : null;
        const result = parseConfig(el).status;
        const explained =
          (hold !== null && element.justified.has(hold)) ||
          (result === 'incomplete' && state === 'idle') ||
          (result === 'invalid' && state === 'error');
        if (!explained) {
          this.fail(
            element,
            `is connected with ${result} inputs but rests in state ${state}, with nothing since the last join(), reconnect or change that explains it`,
          );
        }
      }
    }

    // 2. The emulator's membership is exactly the elements' clients that are in a room.
    const sorted = (list: string[]) => [...list].sort().join(' ');
    if (sorted(members) !== sorted(joinedClients)) {
      this.fail(
        null,
        `the emulator's members [${sorted(members)}] are not the elements' joined clients [${sorted(joinedClients)}] (invariant 2)`,
      );
    }
    const joinedElements = this.elements.filter((e) => e.el.state === 'joined').length;
    const leavingBlocked = this.elements.filter((e) => e.el.state === 'leaving' && this.blocked(e)).length;
    if (members.length < joinedElements || members.length > joinedElements + leavingBlocked) {
      this.fail(null, `the emulator has ${members.length} members for ${joinedElements} joined elements (invariant 2)`);
    }
  }

  /** 3. Events are well formed. */
  private checkEvents(element: Element): void {
    for (const event of element.events.slice(element.checkedEvents)) {
      const { type, detail } = event;
      if (containsSecret(detail)) this.fail(element, `put the user signature in a ${type} event (invariant 3)`);
      const bubbles = type !== 'error';
      if (event.bubbles !== bubbles || event.composed !== bubbles)
        this.fail(element, `dispatched ${type} with bubbles ${event.bubbles}, composed ${event.composed}`);
      if (type === 'state-change') {
        if (detail.state !== event.stateAttribute)
          this.fail(
            element,
            `state-change to ${detail.state} while the attribute said ${event.stateAttribute} (invariant 3)`,
          );
        if (detail.prevState !== element.lastState)
          this.fail(
            element,
            `state-change from ${detail.prevState}, but the state was ${element.lastState} (invariant 3)`,
          );
        if (detail.state === detail.prevState) this.fail(element, `state-change from ${detail.state} to itself`);
        element.lastState = detail.state;
      } else if (type === 'joined') {
        if (element.openJoin)
          this.fail(
            element,
            `joined ${JSON.stringify(detail)} again without left or banned after joined ${JSON.stringify(element.openJoin)} (invariant 3)`,
          );
        if (event.stateAttribute !== 'joined') this.fail(element, `dispatched joined in state ${event.stateAttribute}`);
        element.openJoin = { roomId: detail.roomId, userId: detail.userId };
      } else if (type === 'left' || type === 'banned') {
        if (!element.openJoin)
          this.fail(element, `dispatched ${type} ${JSON.stringify(detail)} without a joined before it (invariant 3)`);
        if (detail.roomId !== element.openJoin.roomId || detail.userId !== element.openJoin.userId) {
          this.fail(
            element,
            `dispatched ${type} ${JSON.stringify(detail)} after joined ${JSON.stringify(element.openJoin)} (invariant 3)`,
          );
        }
        if (type === 'banned' && (typeof detail.message !== 'string' || detail.message === ''))
          this.fail(element, 'dispatched banned without a message');
        element.openJoin = null;
      } else if (type === 'peer-join' || type === 'peer-leave') {
        if (!element.openJoin) this.fail(element, `dispatched ${type} while not in a room`);
      } else if (type === 'error') {
        if (typeof detail.code !== 'string' || typeof detail.message !== 'string' || !detail.message)
          this.fail(element, `dispatched a malformed error ${JSON.stringify(detail)}`);
        // Chromium's fake devices never fail: a media-failed here is the element's own fault (a publish after it left).
        if (detail.code === 'media-failed')
          this.fail(element, `dispatched media-failed with fake devices: ${detail.message}`);
      }
    }
    element.checkedEvents = element.events.length;
    if (element.lastState !== element.el.state)
      this.fail(
        element,
        `is in state ${element.el.state} but its last state-change said ${element.lastState} (invariant 3)`,
      );
  }

  /** Only `state` is reflected: the element's attributes are the ones the test set, and `state`. */
  private checkAttributes(element: Element): void {
    for (const name of element.el.getAttributeNames()) {
      if (name === 'state') continue;
      if (element.attributes.get(name) !== element.el.getAttribute(name))
        this.fail(element, `has attribute ${name}="${element.el.getAttribute(name)}" that the page did not set`);
    }
    for (const [name] of element.attributes)
      if (!element.el.hasAttribute(name)) this.fail(element, `lost attribute ${name}`);
  }

  /** 5. Once every element is removed and settled: no live client, no member, no pending timer. */
  async finish(): Promise<void> {
    this.step += 1;
    this.finishing = true;
    for (const element of this.elements) element.el.remove();
    for (const gate of this.gates) gate.resolve();
    await this.settle();
    this.check();
    for (const element of this.elements) {
      if (element.openJoin)
        this.fail(
          element,
          `ended with joined ${JSON.stringify(element.openJoin)} never followed by left or banned (invariant 3)`,
        );
      if (element.inFlight) this.fail(element, `ended with ${element.inFlight} SDK calls in flight (invariant 5)`);
      for (const client of element.clients) {
        if (!client.destroyed) this.fail(element, 'left a live SDK client behind (invariant 5)');
        if (client.handlerCount) this.fail(element, `left ${client.handlerCount} handlers on a client (invariant 5)`);
      }
      const { session, pendingDisconnect } = internals(element.el);
      if (session.active) this.fail(element, 'has a session still active after removal (invariant 5)');
      if (pendingDisconnect !== undefined) this.fail(element, 'has a pending timer after removal (invariant 5)');
    }
    if (this.emulator.liveClients.length)
      this.fail(null, `${this.emulator.liveClients.length} emulated clients are still alive (invariant 5)`);
    // A live room its last (audience) member left is kept, empty, for 10 minutes: only members count here.
    if (this.emulator.admin.rooms.some((room) => room.members.length))
      this.fail(null, `the emulator still has members: ${JSON.stringify(this.emulator.admin.rooms)} (invariant 5)`);
    if (this.pendingTimers.size) this.fail(null, `${this.pendingTimers.size} timers are still pending (invariant 5)`);
    await this.checkNoMediaLeft();
  }

  /**
   * 5, media: once the captures still under way have arrived (real devices answer outside the tasks `settle`
   * counts), every track the elements captured has ended and no peer connection is left.
   */
  private async checkNoMediaLeft(): Promise<void> {
    const { media } = this.emulator;
    for (let round = 0; round < 200 && (this.capturesInFlight > 0 || media.links.size > 0); round++) {
      await new Promise((resolve) => this.realSetTimeout.call(window, resolve, 10));
      await this.settle();
    }
    if (this.capturesInFlight) this.fail(null, `${this.capturesInFlight} captures never answered`);
    const live = [...media.capturedTracks].filter((track) => track.readyState !== 'ended');
    if (live.length)
      this.fail(
        null,
        `${live.length} captured tracks (${live.map((track) => track.kind).join(', ')}) are still live after every element was removed (invariant 5)`,
      );
    if (media.links.size)
      this.fail(
        null,
        `${media.links.size} media connections are still open after every element was removed (invariant 5)`,
      );
    if (media.capturedTracks.size) count('sequences-that-captured');
  }

  /** Leaves the page as it was, even after a failure. */
  async dispose(): Promise<void> {
    this.finishing = true;
    for (const element of this.elements) element.el.remove();
    for (const gate of this.gates) gate.resolve();
    for (let i = 0; i < 5; i++) {
      await this.nextTask();
      await this.timer();
    }
    for (const restore of this.restorers.reverse()) restore();
    for (const container of this.containers) container.remove();
    this.channel.port1.close();
  }
}

function containsSecret(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === 'string') return value.includes(SECRET);
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (
    value instanceof Error &&
    (containsSecret(value.message, seen) || containsSecret(value.stack, seen) || containsSecret(value.cause, seen))
  )
    return true;
  return Object.values(value).some((field) => containsSecret(field, seen));
}

// ---------------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------------

/** Runs one sequence against fresh elements and a fresh emulator; throws on the first broken invariant. */
/** What the sequences exercised, summed over runs: event types, error codes, ban reasons, blocked steps. */
export const coverage: Record<string, number> = {};
const count = (key: string) => (coverage[key] = (coverage[key] ?? 0) + 1);

export async function runLifecycleSequence(sequence: LifecycleSequence): Promise<void> {
  // The element imports its visit code at the first join of the page. Loaded before the world, whose
  // settling waits on tasks and timers it can see, not on a module's first fetch.
  await loadVisits(
    {
      createClient: () => {
        throw new Error('not used');
      },
    },
    'v4',
  );
  const world = new World(sequence.elements);
  try {
    await world.settle();
    world.check();
    for (const element of world.elements) if (element.el.state === 'banned') element.banHold = true;
    let group: Command[] = [];
    for (const [step, command] of sequence.steps.entries()) {
      group.push(command);
      if (command.wait && step < sequence.steps.length - 1) continue;
      world.step = step;
      await world.runGroup(group);
      group = [];
    }
    await world.finish();
    for (const element of world.elements) {
      for (const event of element.events) {
        if (event.type === 'error') count(`error:${event.detail.code}`);
        else if (event.type === 'banned') count(`banned:${event.detail.reason}`);
        else if (event.type === 'state-change') count(`state:${event.detail.state}`);
        else count(event.type);
      }
    }
  } finally {
    await world.dispose();
  }
}

export interface LifecycleRunOptions {
  runs: number;
  seed: number;
  maxSteps?: number;
  /** Add camera and microphone toggles to the steps (real captures and peer connections: slower). */
  media?: boolean;
  /** fast-check's replay path of a failure, to replay it directly. */
  path?: string;
  /** false: report the first failing sequence as it is, without shrinking it. */
  shrink?: boolean;
}

export interface LifecycleRunResult {
  runs: number;
  steps: number;
}

/**
 * Checks the property over `runs` random sequences. On failure throws an error that gives the seed,
 * the path and the shrunk sequence, ready to be pasted into REPLAYS in test/lifecycle-model.test.ts.
 */
export async function checkLifecycleModel(options: LifecycleRunOptions): Promise<LifecycleRunResult> {
  let steps = 0;
  const property = fc.asyncProperty(
    lifecycleSequences(options.maxSteps ?? 40, { media: options.media }),
    async (sequence) => {
      steps += sequence.steps.length;
      await runLifecycleSequence(sequence);
    },
  );
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path ? { path: options.path } : {}),
    endOnFailure: options.shrink === false,
  });
  if (details.failed) {
    const error = details.errorInstance as Error | undefined;
    throw new Error(
      [
        `The lifecycle model failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}", ${details.numShrinks} shrinks):`,
        error?.message ?? String(details.errorInstance),
        '',
        'Shrunk sequence (paste into REPLAYS in test/lifecycle-model.test.ts to replay it as a regular test):',
        fc.stringify(details.counterexample?.[0]),
        '',
        `Or replay it with: npm run fuzz -- --seed ${details.seed} --path ${details.counterexamplePath}`,
      ].join('\n'),
    );
  }
  return { runs: details.numRuns, steps };
}
