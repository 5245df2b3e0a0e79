// `npm run fuzz -- --runs N --seed S [--steps M] [--path P]`: the lifecycle model of
// test/lifecycle-model.test.ts with other parameters, in headless Chromium through web-test-runner.
// Without --seed a random one is used (and printed). A failure prints its seed, fast-check's replay
// path and the shrunk sequence; see "Stress tests, fuzzing and the benchmark" in docs/development.md for replaying it as a regular test.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    steps: { type: 'string', default: '40' },
    path: { type: 'string' },
  },
});
const integer = (name, text) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    console.error(`--${name} must be an integer; got ${JSON.stringify(text)}.`);
    process.exit(2);
  }
  return value;
};
const params = {
  runs: integer('runs', values.runs),
  seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : integer('seed', values.seed),
  steps: integer('steps', values.steps),
  ...(values.path ? { path: values.path } : {}),
};
console.log(
  `fuzzing the lifecycle model: ${params.runs} sequences of up to ${params.steps} steps, seed ${params.seed}${params.path ? `, path ${params.path}` : ''}`,
);

const bin = new URL('../node_modules/.bin/web-test-runner', import.meta.url).pathname;
const config = new URL('./fuzz.wtr.config.mjs', import.meta.url).pathname;
const child = spawn(bin, ['--config', config], {
  stdio: 'inherit',
  env: { ...process.env, TRTC_FUZZ: JSON.stringify(params) },
});
child.on('close', (code) => process.exit(code ?? 1));
