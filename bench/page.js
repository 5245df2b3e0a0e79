// The in-page half of `npm run bench` (scripts/bench.mjs bundles it with the element and drives it).
// Each function resolves to plain numbers for the table.
import '../src/index.ts';

const ATTRIBUTES = { 'sdk-app-id': '1400000001', 'room-id': '1234', 'user-id': 'alice', 'user-sig': 'sig' };
const CLIENT_CONFIG = { sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' };
const EVENTS = ['client-banned', 'peer-join', 'peer-leave', 'connection-state-changed', 'error'];

// A task of its own, so that chained cycles are not clamped like nested timers (4 ms after 5 levels).
const channel = new MessageChannel();
const waiters = [];
channel.port1.onmessage = () => waiters.shift()();
const nextTask = () => new Promise((resolve) => (waiters.push(resolve), channel.port2.postMessage(null)));
const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

/** An SDK double whose join and leave resolve at once; it keeps a WeakRef to every client it makes. */
function instantSdk(clientRefs) {
  return {
    createClient() {
      const handlers = new Map();
      const client = {
        handlers,
        join: () => Promise.resolve(),
        leave: () => Promise.resolve(),
        destroy() {},
        on: (event, handler) => handlers.set(event, handler),
        off: (event) => handlers.delete(event),
      };
      clientRefs?.push(new WeakRef(client));
      return client;
    },
  };
}

function roomElement(sdk) {
  const el = document.createElement('trtc-room');
  if (sdk) el.sdk = sdk;
  for (const [name, value] of Object.entries(ATTRIBUTES)) el.setAttribute(name, value);
  return el;
}

/** Connected with every input but the signature: waits in state idle, and must fetch nothing of the SDK. */
window.mountWithoutJoin = async () => {
  const el = roomElement();
  el.removeAttribute('user-sig');
  document.body.append(el);
  for (let i = 0; i < 10; i++) await nextTask();
  window.waiting = el;
  return el.state;
};

/** Completes the inputs: the element joins, importing the SDK. Resolves once the state moved on from joining. */
window.completeInputs = async () => {
  const el = window.waiting;
  el.setAttribute('user-sig', 'sig');
  await el.updateComplete;
  return el.state;
};

/** The element's cycle: create, connect (it joins), disconnect (it leaves); resolves on `left`. */
async function elementCycle(sdk, elementRefs) {
  await nextTask();
  const el = roomElement(sdk);
  const joined = once(el, 'joined');
  document.body.append(el);
  await joined;
  const left = once(el, 'left');
  el.remove();
  await left;
  elementRefs?.push(new WeakRef(el));
}

/**
 * The same SDK calls, written by hand without the element. With `waitTask`, it also waits one timer task
 * before leaving, as the element does on disconnect to tell a move from a removal.
 */
async function baselineCycle(sdk, waitTask = false) {
  await nextTask();
  const client = sdk.createClient(CLIENT_CONFIG);
  const handlers = EVENTS.map((event) => [event, () => {}]);
  for (const [event, handler] of handlers) client.on(event, handler);
  await client.join({ roomId: 1234 });
  if (waitTask) await new Promise((resolve) => setTimeout(resolve));
  await client.leave();
  for (const [event, handler] of handlers) client.off(event, handler);
  client.destroy();
}

let elementRefs = [];
let clientRefs = [];

/** Warms both paths up, outside the measurement. */
window.warmUp = async (cycles) => {
  const sdk = instantSdk();
  for (let i = 0; i < cycles; i++) {
    await baselineCycle(sdk);
    await baselineCycle(sdk, true);
    await elementCycle(sdk);
  }
};

/**
 * `cycles` cycles of each, side by side: rounds of 100 baseline and 100 element cycles, alternating
 * which goes first. With `baseline: false`, only the element's cycles (for the reachability check).
 */
window.runCycles = async (cycles, { baseline = true } = {}) => {
  const sdk = instantSdk(clientRefs);
  const baselineSdk = instantSdk();
  let baselineMs = 0;
  let baselineWithTaskMs = 0;
  let elementMs = 0;
  const round = 100;
  for (let done = 0, r = 0; done < cycles; done += round, r++) {
    const n = Math.min(round, cycles - done);
    const runBaseline = async () => {
      let start = performance.now();
      for (let i = 0; i < n; i++) await baselineCycle(baselineSdk);
      baselineMs += performance.now() - start;
      start = performance.now();
      for (let i = 0; i < n; i++) await baselineCycle(baselineSdk, true);
      baselineWithTaskMs += performance.now() - start;
    };
    const runElement = async () => {
      const start = performance.now();
      for (let i = 0; i < n; i++) await elementCycle(sdk, elementRefs);
      elementMs += performance.now() - start;
    };
    if (!baseline) await runElement();
    else if (r % 2 === 0) await runBaseline().then(runElement);
    else await runElement().then(runBaseline);
  }
  return {
    baselineMs: baseline ? baselineMs : null,
    baselineWithTaskMs: baseline ? baselineWithTaskMs : null,
    elementMs,
  };
};

/** After a forced GC: how many of the cycles' elements and clients are still reachable. Forgets them. */
window.countReachable = async () => {
  const alive = (refs) => refs.filter((ref) => ref.deref() !== undefined).length;
  // Each join asks the browser for its devices (enumerateDevices): until that answer comes, the pending call
  // holds its element. The browser answers in order, so one more call settles every earlier one; under load the
  // answers lag, hence a bounded wait (3 s) for the count to reach 0. A real leak stays above 0 after it.
  await navigator.mediaDevices?.enumerateDevices?.().catch(() => undefined);
  const deadline = performance.now() + 3000;
  do {
    for (let i = 0; i < 5; i++) {
      await nextTask();
      await new Promise((resolve) => setTimeout(resolve, 0));
      globalThis.gc?.();
    }
  } while ((alive(elementRefs) > 0 || alive(clientRefs) > 0) && performance.now() < deadline);
  const result = {
    elements: alive(elementRefs),
    elementsMade: elementRefs.length,
    clients: alive(clientRefs),
    clientsMade: clientRefs.length,
    gc: typeof globalThis.gc === 'function',
  };
  elementRefs = [];
  clientRefs = [];
  return result;
};

/**
 * The SDK's client-banned callback to the element's `banned` event, `times` times: the time between
 * them, and whether the event came while the callback was still running (the same task).
 */
window.banLatency = async (times) => {
  let lastClient;
  const sdk = instantSdk();
  const createClient = sdk.createClient;
  sdk.createClient = (config) => (lastClient = createClient(config));
  const el = roomElement(sdk);
  const joined = once(el, 'joined');
  document.body.append(el);
  await joined;
  const micros = [];
  let sameTask = 0;
  for (let i = 0; i < times; i++) {
    let inCallback = false;
    let start = 0;
    const banned = new Promise((resolve) =>
      el.addEventListener(
        'banned',
        () => {
          micros.push((performance.now() - start) * 1000);
          if (inCallback) sameTask += 1;
          resolve();
        },
        { once: true },
      ),
    );
    const onBanned = lastClient.handlers.get('client-banned');
    inCallback = true;
    start = performance.now();
    onBanned({ reason: 'kick', message: 'Another client joined with the same userId.' });
    inCallback = false;
    await banned;
    await el.join();
  }
  el.remove();
  micros.sort((a, b) => a - b);
  return {
    times,
    sameTask,
    medianMicros: micros[Math.floor(micros.length / 2)],
    maxMicros: micros.at(-1),
    resolutionMicros: timerResolution(),
  };
};

/** The smallest step performance.now() takes here, in µs (5 when cross-origin isolated, else 100). */
function timerResolution() {
  let smallest = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    smallest = Math.min(smallest, b - a);
  }
  return Math.round(smallest * 1000);
}
