import './guard.js';
import '../../src/index.js';
import type { TrtcRoom } from '../../src/index.js';
import type { TrtcRoomEventName } from '../../src/events.js';
import type { TrtcSdk } from '../../src/sdk/loader.js';
import { loadVisits } from '../../src/session.js';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import type { FakeSdk } from './generations.js';

// The element imports its visit code (src/visit.ts) at the first join of the page. Loaded once before
// the tests, so a file's first join settles within the tasks `settle()` waits, like every other join.
before(() => loadVisits(new FakeTrtc(), 'v4'));

export const EVENT_NAMES: TrtcRoomEventName[] = [
  'joined',
  'left',
  'banned',
  'error',
  'peer-join',
  'peer-leave',
  'connection-state-change',
  'state-change',
  'network-quality',
];

export interface Recorded {
  type: TrtcRoomEventName;
  detail: any;
  bubbles: boolean;
  composed: boolean;
  /** The reflected attribute when the event was dispatched. */
  stateAttribute: string | null;
}

/** Records every event the element dispatches, in order. */
export function record(el: TrtcRoom): Recorded[] {
  const events: Recorded[] = [];
  for (const type of EVENT_NAMES) {
    el.addEventListener(type, (event: Event) => {
      const { detail, bubbles, composed } = event as CustomEvent;
      events.push({ type, detail, bubbles, composed, stateAttribute: el.getAttribute('state') });
    });
  }
  return events;
}

export const types = (events: Recorded[]) => events.filter((e) => e.type !== 'state-change').map((e) => e.type);
export const states = (events: Recorded[]) =>
  events.filter((e) => e.type === 'state-change').map((e) => e.detail.state);

export const VALID = { 'sdk-app-id': '1400000001', 'room-id': '1234', 'user-id': 'alice', 'user-sig': 'sig-secret-1' };

/** Creates an element with an SDK double (of either generation; v4 unless given) and the given attributes, without connecting it. */
export function create<S extends TrtcSdk = FakeTrtc>(
  attributes: Record<string, string> = VALID,
  sdk: S = new FakeTrtc() as TrtcSdk as S,
) {
  const el = document.createElement('trtc-room');
  el.sdk = sdk;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  const events = record(el);
  return { el, sdk, events };
}

/** Creates and connects an element, then waits until its state settles. */
export async function mount<S extends TrtcSdk = FakeTrtc>(
  attributes: Record<string, string> = VALID,
  sdk: S = new FakeTrtc() as TrtcSdk as S,
  parent: Element = document.body,
) {
  const room = create(attributes, sdk);
  parent.append(room.el);
  await settle(room.el);
  return room;
}

/** Connects an element (VALID inputs) whose SDK double holds every join pending: it rests in `joining`. */
export async function mountJoining<S extends TrtcSdk & Pick<FakeSdk, 'joinBehaviour'>>(sdk: S) {
  sdk.joinBehaviour = 'pending';
  const room = create(VALID, sdk);
  document.body.append(room.el);
  // Not settle(el): the session does not settle while the join is pending.
  await settle();
  return room;
}

/** Lets the element's update, any pending SDK promise and a pending disconnect run. */
export async function settle(el?: TrtcRoom): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  if (el) {
    await el.updateComplete;
    await (el as unknown as { session: { settled(): Promise<void> } }).session.settled();
  }
  await new Promise((resolve) => setTimeout(resolve));
}

afterEach(() => {
  for (const el of document.querySelectorAll('trtc-room')) el.remove();
});
