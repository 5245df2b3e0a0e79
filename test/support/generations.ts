/**
 * The two SDK generations the element drives, described once so each contract suite runs against
 * both: how to make a double, what exact SDK calls a join makes, and how the SDK says "banned",
 * "peer joined" or "error" in its own event names and payload shapes.
 */
import type { TrtcSdk } from '../../src/sdk/loader.js';
import type { Behaviour, Deferred } from '../doubles/fake-trtc.js';
import { FakeClient, FakeTrtc, rtcError } from '../doubles/fake-trtc.js';
import { EVENT, FakeTrtcV5, FakeTrtcV5Instance, rtcErrorV5 } from '../doubles/fake-trtc-v5.js';

/** The controls both doubles' clients (a v4 Client, a v5 TRTC instance) offer. */
export interface FakeClientControls {
  destroyed: boolean;
  readonly handlerCount: number;
  pendingJoin: Deferred | undefined;
  pendingLeave: Deferred | undefined;
  fire(event: string, payload?: unknown): void;
}

/** The controls both SDK doubles offer. */
export interface FakeSdk {
  readonly clients: FakeClientControls[];
  readonly liveClients: FakeClientControls[];
  readonly lastClient: FakeClientControls;
  joinBehaviour: Behaviour;
  leaveBehaviour: Behaviour;
}

/** A join in the element's own terms; what is left out is VALID's identity in rtc mode. */
export interface JoinSpec {
  roomId: number | string;
  role?: 'anchor' | 'audience';
  mode?: 'rtc' | 'live';
  sdkAppId?: number;
  userId?: string;
  userSig?: string;
}

export interface Generation {
  readonly name: 'v4' | 'v5';
  /** A fresh double of this generation's SDK. */
  sdk(): FakeSdk & TrtcSdk;
  /** Every join the SDK was asked for, in order, exactly as the SDK received it. */
  sdkJoins(sdk: FakeSdk): unknown[];
  /** The exact SDK record of one join, as `sdkJoins` lists it. */
  expectedJoin(spec: JoinSpec): unknown;
  /** The last join of one client, in the element's terms. */
  joinedAs(
    client: FakeClientControls,
  ): Required<Pick<JoinSpec, 'roomId' | 'mode' | 'sdkAppId' | 'userId' | 'userSig'>> & Pick<JoinSpec, 'role'>;
  /**
   * After a ban, the element still calls leave() on the client before destroying it (v4: trtc-js-sdk keeps
   * its page-wide join guard until then); v5's own exit path already left.
   */
  readonly leavesAfterBan: boolean;
  /** How many times the element asked this client to leave (v4 `leave()`, v5 `exitRoom()`). */
  leaveCalls(client: FakeClientControls): number;
  /** An SDK error with a numeric code, shaped as this generation throws it. */
  rtcError(code: number, message?: string): Error;
  /** The SDK's "you are out" event (v4 `client-banned`, v5 `KICKED_OUT`) with the given payload. */
  fireBan(client: FakeClientControls, payload: unknown): void;
  firePeerJoin(client: FakeClientControls, userId: string): void;
  firePeerLeave(client: FakeClientControls, userId: string): void;
  fireConnectionState(client: FakeClientControls, state: string, prevState: string): void;
  fireError(client: FakeClientControls, error: unknown): void;
  /**
   * SDK `error` events by what the SDK does next (docs/sdk-errors.md): `connectionLost`, it gave up reconnecting and
   * is out of the room; `recoverable`, it carries on in the room; `fatal`, out of the room for another reason (v4
   * has none: its only errors that reset the client end a reconnection).
   */
  readonly errors: { connectionLost(): Error; recoverable(): Error; fatal?: () => Error };
  /** The connection states the SDK goes through as its signalling drops in a room, before it is CONNECTED again. */
  readonly reconnecting: ReadonlyArray<{ state: string; prevState: string }>;
  /** The SDK's network quality event (v4 `network-quality`, v5 `NETWORK_QUALITY`), with the SDK's payload. */
  fireNetworkQuality(client: FakeClientControls, payload: Record<string, number>): void;
}

const IDENTITY = { sdkAppId: 1400000001, userId: 'alice', userSig: 'sig-secret-1' };

export const V4: Generation = {
  name: 'v4',
  sdk: () => new FakeTrtc(),
  leavesAfterBan: true,
  sdkJoins: (sdk) =>
    (sdk as FakeTrtc).clients.flatMap((client) =>
      client.joinCalls.map((join) => ({ createClient: client.config, join })),
    ),
  expectedJoin: ({ roomId, role, mode = 'rtc', ...identity }) => ({
    createClient: { ...IDENTITY, ...identity, mode, ...(typeof roomId === 'string' ? { useStringRoomId: true } : {}) },
    join: { roomId, ...(role ? { role } : {}) },
  }),
  joinedAs: (client) => {
    const { config, joinCalls } = client as FakeClient;
    const { roomId, role } = joinCalls.at(-1)!;
    return {
      sdkAppId: config.sdkAppId,
      userId: config.userId,
      userSig: config.userSig,
      mode: config.mode,
      roomId,
      ...(role ? { role: role as JoinSpec['role'] } : {}),
    };
  },
  leaveCalls: (client) => (client as FakeClient).leaveCalls,
  rtcError,
  fireBan: (client, payload) => client.fire('client-banned', payload),
  firePeerJoin: (client, userId) => client.fire('peer-join', { userId }),
  firePeerLeave: (client, userId) => client.fire('peer-leave', { userId }),
  fireConnectionState: (client, state, prevState) => client.fire('connection-state-changed', { prevState, state }),
  fireError: (client, error) => client.fire('error', error),
  errors: {
    // trtc.esm.js: SignalChannel.reconnect's 30th failure; an uplink's failed reconnection leaves the client in.
    connectionLost: () => rtcError(0x4006, 'signal channel reconnection failed, please check your network.'),
    recoverable: () => rtcError(0x4007, 'uplink reconnection failed'),
  },
  reconnecting: [
    { state: 'DISCONNECTED', prevState: 'CONNECTED' },
    { state: 'RECONNECTING', prevState: 'DISCONNECTED' },
  ],
  fireNetworkQuality: (client, payload) => client.fire('network-quality', payload),
};

export const V5: Generation = {
  name: 'v5',
  sdk: () => new FakeTrtcV5(),
  leavesAfterBan: false,
  sdkJoins: (sdk) => (sdk as FakeTrtcV5).joins.map((params) => ({ enterRoom: params })),
  expectedJoin: ({ roomId, role, mode = 'rtc', ...identity }) => ({
    enterRoom: {
      ...IDENTITY,
      ...identity,
      ...(typeof roomId === 'string' ? { strRoomId: roomId } : { roomId }),
      scene: mode,
      ...(role ? { role } : {}),
    },
  }),
  joinedAs: (client) => {
    const { sdkAppId, userId, userSig, roomId, strRoomId, scene, role } = (
      client as FakeTrtcV5Instance
    ).enterRoomCalls.at(-1)!;
    return {
      sdkAppId,
      userId,
      userSig,
      mode: scene as JoinSpec['mode'] & string,
      roomId: (strRoomId ?? roomId)!,
      ...(role ? { role: role as JoinSpec['role'] } : {}),
    };
  },
  leaveCalls: (client) => (client as FakeTrtcV5Instance).exitRoomCalls,
  rtcError: (code, message) => rtcErrorV5(code, message),
  fireBan: (client, payload) => client.fire(EVENT.KICKED_OUT, payload),
  firePeerJoin: (client, userId) => client.fire(EVENT.REMOTE_USER_ENTER, { userId }),
  firePeerLeave: (client, userId) => client.fire(EVENT.REMOTE_USER_EXIT, { userId, reason: 0 }),
  fireConnectionState: (client, state, prevState) => client.fire(EVENT.CONNECTION_STATE_CHANGED, { prevState, state }),
  fireError: (client, error) => client.fire(EVENT.ERROR, error),
  errors: {
    // trtc.esm.js: Room.reJoin's failure (JOIN_ROOM_FAILED, SERVER_ERROR once converted), after TRTC._exitRoom.
    connectionLost: () => rtcErrorV5(5400, "'' got server error: reJoin room failed"),
    // The firewall restriction: ERROR 5500 with extraCode 5501, fired without leaving.
    recoverable: () => Object.assign(rtcErrorV5(5500, 'firewall restriction'), { extraCode: 5501 }),
    fatal: () => rtcErrorV5(5999, 'unknown'),
  },
  reconnecting: [
    { state: 'DISCONNECTED', prevState: 'CONNECTED' },
    { state: 'CONNECTING', prevState: 'DISCONNECTED' },
  ],
  fireNetworkQuality: (client, payload) => client.fire('network-quality', payload),
};

export const GENERATIONS: readonly Generation[] = [V4, V5];
