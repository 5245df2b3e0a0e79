import {
  checkLifecycleModel,
  coverage,
  runLifecycleSequence,
  type LifecycleSequence,
} from './support/lifecycle-model.js';

/** Sequences the fuzzer once found failing, kept as regular tests (paste a printed shrunk sequence here). */
const REPLAYS: Array<{ name: string; sequence: LifecycleSequence }> = [
  {
    // Found by `npm run fuzz -- --seed 99` (a fault of the model, which took this move for a reconnect).
    name: 'removed by an error listener and inserted again in the same task is a move: the ban holds',
    sequence: {
      elements: [
        {
          generation: 'v4',
          sdkAppId: 1400000001,
          room: 1,
          userId: 'alice',
          userSig: 'sig-SECRET-1',
          mode: 'rtc',
          via: 'attribute',
          connected: true,
        },
        {
          generation: 'v4',
          sdkAppId: 1400000001,
          room: 1,
          userId: 'alice',
          userSig: 'sig-SECRET-1',
          mode: 'rtc',
          via: 'attribute',
          connected: true,
        },
      ],
      steps: [
        { c: 'react', i: 1, on: 'error', then: { c: 'disconnect', i: 0 }, wait: 'none' },
        { c: 'dismiss-room', i: 0 },
        { c: 'set', i: 1, via: 'attribute', name: 'sdk-app-id', value: '0', wait: 'none' },
        { c: 'connect', i: 0 },
      ],
    },
  },
  {
    // Found while making the v4 double faithful: an SDK error during a hanging join left the visit with no
    // peers kept, and the join's later success threw on them, leaving the element joined after removal.
    name: 'an SDK error while the join hangs, then the join goes through: the element leaves, not stays joined',
    sequence: {
      elements: [
        {
          generation: 'v4',
          sdkAppId: 1400000001,
          room: 1,
          userId: 'alice',
          userSig: 'sig-SECRET-1',
          mode: 'rtc',
          via: 'attribute',
          connected: false,
        },
      ],
      steps: [
        { c: 'fault-join', kind: 'hang' },
        { c: 'connect', i: 0, wait: 'none' },
        { c: 'room', i: 0, via: 'attribute', room: 1 },
        { c: 'sdk-error', i: 0 },
        { c: 'disconnect', i: 0, wait: 'none' },
      ],
    },
  },
  {
    // Found the same way: a ban while a (hanging) leave is in flight must not call leave() a second time.
    name: 'a ban while a hanging leave is in flight: no second leave() on the client',
    sequence: {
      elements: [
        {
          generation: 'v4',
          sdkAppId: 1400000001,
          room: 1,
          userId: 'alice',
          userSig: 'sig-SECRET-1',
          mode: 'rtc',
          via: 'attribute',
          connected: false,
        },
      ],
      steps: [
        { c: 'connect', i: 0 },
        { c: 'fault-leave', kind: 'hang' },
        { c: 'disconnect', i: 0, wait: 'none' },
        { c: 'dismiss-room', i: 0 },
      ],
    },
  },
  {
    // Found by the media run (seed 20261126): the v4 adapter awaited the preview's play(), which never settled
    // once the view had left the document, so a capture that arrived after the leave was never released.
    name: 'camera set before connecting: the capture that arrives after the element is removed is released',
    sequence: {
      elements: [
        {
          generation: 'v4',
          sdkAppId: 1400000001,
          room: 1,
          userId: 'alice',
          userSig: 'sig-SECRET-1',
          mode: 'rtc',
          via: 'attribute',
          connected: false,
        },
      ],
      steps: [
        { c: 'media', i: 0, via: 'attribute', device: 'camera', on: true },
        { c: 'connect', i: 0 },
      ],
    },
  },
];

describe('<trtc-room> lifecycle model (fast-check, shared in-memory emulator)', () => {
  it('keeps every invariant over 1,000 random sequences of up to 40 steps (fixed seed)', async function () {
    this.timeout(0);
    const result = await checkLifecycleModel({ runs: 1000, seed: 20261125, maxSteps: 40 });
    console.log(`lifecycle model: ${result.runs} sequences, ${result.steps} steps`, JSON.stringify(coverage));
  });

  it('with camera and microphone toggles, keeps every invariant and leaves 0 live tracks and 0 peer connections (200 sequences)', async function () {
    this.timeout(0);
    const result = await checkLifecycleModel({ runs: 200, seed: 20261126, maxSteps: 40, media: true });
    console.log(
      `lifecycle model with media: ${result.runs} sequences, ${result.steps} steps`,
      JSON.stringify(coverage),
    );
  });

  for (const { name, sequence } of REPLAYS) {
    it(`replay: ${name}`, () => runLifecycleSequence(sequence));
  }
});
