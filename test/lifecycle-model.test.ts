import { checkLifecycleModel, coverage, runLifecycleSequence, type LifecycleSequence } from './support/lifecycle-model.js';

/** Sequences the fuzzer once found failing, kept as regular tests (paste a printed shrunk sequence here). */
const REPLAYS: Array<{ name: string; sequence: LifecycleSequence }> = [];

describe('<trtc-room> lifecycle model (fast-check, shared in-memory emulator)', () => {
  it('keeps every invariant over 1,000 random sequences of up to 40 steps (fixed seed)', async function () {
    this.timeout(0);
    const result = await checkLifecycleModel({ runs: 1000, seed: 20261125, maxSteps: 40 });
    console.log(`lifecycle model: ${result.runs} sequences, ${result.steps} steps`, JSON.stringify(coverage));
  });

  for (const { name, sequence } of REPLAYS) {
    it(`replay: ${name}`, () => runLifecycleSequence(sequence));
  }
});
