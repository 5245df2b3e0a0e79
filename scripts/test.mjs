// `npm test`: three phases, each printed when it ends:
//   checks:  type-check (tsc), then `npm run lint` (scripts/lint.mjs), alongside the browser phase;
//   build:   `npm run build` into a clean dist/, once, also alongside the browser phase, for the Node files that test
//            the build (USES_DIST, scripts/built-dist.mjs), which wait for it;
//   browser: the browser suites (web-test-runner in Chromium; the SDKs' expected logs filtered, see
//            scripts/browser-logs.mjs);
//   node:    after the browser phase (the two together starve web-test-runner's page starts on 2 cores), the Node
//            suites, NODE_TEST_CONCURRENCY files at a time (default 3: they keep both cores busy, and more at once
//            only stretch the calls they hold in real time), sharing Chromium: one server per set of flags in
//            SHARED_CHROMIUM_ARG_SETS (scripts/chromium.mjs), which launchChromium() connects to; only failures,
//            unexpected output and the slowest files are printed. The raw TAP goes to .artifacts/test/node.tap.
//            Run alone (`--node`), it starts the build itself, and the files that do not need it run meanwhile.
// It ends with one line that adds up every test run: "tests: N passed, N failed".
// Arguments (files) go to web-test-runner, and then only the browser suites run; `--node [files]` runs only the Node
// phase (all of test/node/, or the files given), with its shared Chromium.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { BUILT_DIST_ENV } from './built-dist.mjs';
import { chromiumArgsKey, launchChromiumServer, SHARED_CHROMIUM_ARG_SETS, SHARED_CHROMIUM_ENV } from './chromium.mjs';
import { lint } from './lint.mjs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const started = Date.now();
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function report(name, since, ok, text) {
  console.log(`\n── ${name}: ${ok ? 'ok' : 'FAILED'} (${seconds(since)})`);
  if (text.trim()) console.log(text.trimEnd());
}

async function checks() {
  const since = Date.now();
  const typecheck = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  const lines = [typecheck.code === 0 ? 'tsc: ok' : `tsc: FAILED\n${typecheck.output.trimEnd()}`];
  const lintFailures = await lint((line) => lines.push(line));
  const ok = typecheck.code === 0 && lintFailures === 0;
  report('type-check and lint', since, ok, lines.join('\n'));
  return { ok, passed: 0, failed: 0 };
}

/** `npm run build` into a clean dist/ (stale chunks would be packed and tested): whether it succeeded. */
async function buildDist() {
  const since = Date.now();
  rmSync('dist', { recursive: true, force: true });
  const { code, output } = await run('npm', ['run', 'build']);
  report('build (dist/)', since, code === 0, code === 0 ? '' : output);
  return code === 0;
}

async function browser(args) {
  const since = Date.now();
  const { code, output } = await run(bin('web-test-runner'), ['--static-logging', ...args]);
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  // Static logging still repeats the final summary: print it once.
  const text = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\n{3,}/g, '\n\n');
  report('browser suites (web-test-runner)', since, code === 0, text);
  return { ok: code === 0 && !!counts, passed: Number(counts?.[1] ?? 0), failed: Number(counts?.[2] ?? 0) };
}

// TAP summary lines and subtest headings: everything else a Node suite prints (a failure's block, a warning, a log)
// is shown.
const ROUTINE = /^\s*# (Subtest: |tests \d|suites \d|pass \d|fail \d|cancelled \d|skipped \d|todo \d|duration_ms )/;

/** The parts of a TAP stream worth reading: each failing test with its YAML block, and unexpected comments. */
function failuresAndOutput(tap) {
  const lines = tap.split('\n');
  const shown = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const failing = /^(\s*)not ok \d+ /.exec(line);
    if (failing) {
      shown.push(line);
      // Its YAML block runs to the `...` line at the same indentation plus two.
      const end = `${failing[1]}  ...`;
      for (i++; i < lines.length && lines[i] !== end; i++) shown.push(lines[i]);
      continue;
    }
    if (/^\s*#/.test(line) && !ROUTINE.test(line)) shown.push(line);
  }
  return shown.join('\n');
}

/** One Chromium server per shared set of flags: the env that points launchChromium() at them, and close(). */
async function sharedChromium() {
  const servers = await Promise.all(
    SHARED_CHROMIUM_ARG_SETS.map((args) =>
      launchChromiumServer(args).then((server) => [chromiumArgsKey(args), server]),
    ),
  ).catch((error) => {
    console.log(`(no shared Chromium, each Node suite starts its own: ${error.message})`);
    return [];
  });
  const endpoints = Object.fromEntries(servers.map(([key, server]) => [key, server.wsEndpoint()]));
  return {
    env: servers.length ? { [SHARED_CHROMIUM_ENV]: JSON.stringify(endpoints) } : {},
    close: () => Promise.all(servers.map(([, server]) => server.close().catch(() => {}))),
  };
}

// The Node files that use dist/ when BUILT_DIST_ENV is set.
const USES_DIST = ['pack.test.mjs', 'cdn.test.mjs', 'emulator-server.test.mjs'];
const usesDist = (file) => USES_DIST.some((name) => file.endsWith(`/${name}`));

/** The Node phase; `building` is a build already under way (else it starts one when a file needs dist/). */
async function node(only = [], building = undefined) {
  const since = Date.now();
  const concurrency = Number(process.env.NODE_TEST_CONCURRENCY ?? 3);
  // The longest files first, so that none of them starts last and holds up the end.
  const first = ['pack.test.mjs', 'v4-conformance.test.mjs', 'v5-conformance.test.mjs', 'demo-e2e.test.mjs'];
  const files = readdirSync('test/node')
    .filter((file) => file.endsWith('.test.mjs'))
    .sort((a, b) => (first.includes(b) ? 1 : 0) - (first.includes(a) ? 1 : 0) || first.indexOf(a) - first.indexOf(b))
    .map((file) => `test/node/${file}`)
    .filter((file) => !only.length || only.some((path) => file.endsWith(path.replace(/^(\.\/)?test\/node\//, ''))));
  // Without a build, those files build what they need themselves (and pack's prepack reports the failure).
  building ??= files.some(usesDist) ? buildDist() : Promise.resolve(true);
  const shared = await sharedChromium();
  // Each file in its own `node --test` (as node --test itself does), so that each one's time can be told.
  const queue = [...files];
  const results = [];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const env = usesDist(file) && (await building) ? { ...shared.env, [BUILT_DIST_ENV]: '1' } : shared.env;
      const started = Date.now();
      const result = await run(process.execPath, ['--test', '--test-reporter=tap', file], env);
      results.push({ file, seconds: (Date.now() - started) / 1000, ...result });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await shared.close();
  mkdirSync('.artifacts/test', { recursive: true });
  writeFileSync(
    '.artifacts/test/node.tap',
    results.map(({ file, seconds, output }) => `# ${file} (${Math.round(seconds)} s)\n${output}`).join('\n'),
  );
  const shown = results
    .map(({ file, output }) => [file, failuresAndOutput(output)])
    .filter(([, text]) => text.trim())
    .map(([file, text]) => `${file}:\n${text}`);
  const count = (name) =>
    results.reduce((sum, { output }) => sum + Number(new RegExp(`^# ${name} (\\d+)`, 'm').exec(output)?.[1] ?? 0), 0);
  const [passed, failed, cancelled] = [count('pass'), count('fail'), count('cancelled')];
  const code = (await building) && results.every((result) => result.code === 0) ? 0 : 1;
  const slowest = results
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5)
    .map(({ file, seconds }) => `${file.replace('test/node/', '')} ${Math.round(seconds)} s`);
  const summary = `${files.length} files, ${concurrency} at a time: ${passed} passed, ${failed} failed, ${cancelled} cancelled`;
  const text = [...shown, summary, `slowest: ${slowest.join(', ')}`].join('\n');
  report('Node suites (node --test)', since, code === 0, text);
  return { ok: code === 0, passed, failed: failed + cancelled };
}

const browserArgs = process.argv.slice(2);
async function everything() {
  // The browser phase keeps about one core busy (web-test-runner runs one file at a time, much of it waiting on media
  // in real time): the checks and the build use the other. The Node phase keeps both busy, so it waits for the browser
  // phase (the two together starve web-test-runner's page starts) and finds dist/ built.
  const checking = checks();
  const building = buildDist();
  const browserPhase = await browser([]);
  const nodePhase = await node([], building);
  return [await checking, browserPhase, nodePhase];
}

const phases =
  browserArgs[0] === '--node'
    ? [await node(browserArgs.slice(1))]
    : browserArgs.length
      ? [await browser(browserArgs)]
      : await everything();
const passed = phases.reduce((sum, phase) => sum + phase.passed, 0);
const failed = phases.reduce((sum, phase) => sum + phase.failed, 0);
console.log(`\n(${seconds(started)} in all)`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(phases.every((phase) => phase.ok) && failed === 0 && passed > 0 ? 0 : 1);
