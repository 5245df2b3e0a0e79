// The lifecycle model with parameters from `npm run fuzz` (scripts/fuzz.mjs); not part of `npm test`.
import { checkLifecycleModel, coverage } from '../support/lifecycle-model.js';

const params: { runs?: number; seed?: number; path?: string; steps?: number } =
  (window as { trtcFuzz?: object }).trtcFuzz ?? {};
const runs = params.runs ?? 1000;
const seed = params.seed ?? Date.now() % 2 ** 31;

describe('<trtc-room> lifecycle model, fuzzing', () => {
  it(`keeps every invariant over ${runs} sequences of up to ${params.steps ?? 40} steps (seed ${seed})`, async function () {
    this.timeout(0);
    const result = await checkLifecycleModel({
      runs,
      seed,
      maxSteps: params.steps ?? 40,
      ...(params.path ? { path: params.path } : {}),
    });
    console.log(
      `lifecycle model: ${result.runs} sequences, ${result.steps} steps, seed ${seed}; events: ${JSON.stringify(coverage)}`,
    );
  });
});
