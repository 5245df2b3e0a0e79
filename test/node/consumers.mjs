// The consumer matrix's apps and toolchains (test/node/pack.test.mjs runs them on the packed tarball). Each
// app is the same page: four <trtc-room> elements, each resolving to its first outcome. The toolchains are this
// repository's pinned devDependencies, run on an app outside the repository: they resolve `trtc-room`, lit and
// the SDKs from the app's own node_modules, as in a real project.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { serveDirectory } from '../../scripts/static-server.mjs';

const root = resolve(import.meta.dirname, '../..');
const tool = (specifier) => pathToFileURL(join(root, 'node_modules', specifier)).href;

/** Nothing leaves the machine: every host but loopback fails to resolve (the real SDKs then fail as offline). */
export const CONSUMER_CHROMIUM_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'];

/**
 * What each element of the page reports first, in order: the emulator's v4 double and its v5 double (through
 * `el.sdk`: no opt-in needed), the real trtc-js-sdk imported at the first join (offline: SCHEDULE_FAILED 0x404c),
 * and `sdk="v5"` with no sdk object (without the opt-in: sdk-load-failed; with it, the real trtc-sdk-v5 imported at
 * the first join, offline: OPERATION_FAILED 5500).
 */
export const expectedOutcomes = ({ v5 }) => [
  'joined',
  'joined',
  'join-failed 16460',
  v5 ? 'join-failed 5500' : 'sdk-load-failed',
];

const pageScript = ({ v5 }) => `${v5 ? "import 'trtc-room/sdk-v5';" : "import 'trtc-room';"}
import { createTrtcEmulator } from 'trtc-room/testing';

/** The element's first outcome: joined, or the error's code and SDK code. */
function outcome(attributes, sdk) {
  const el = document.createElement('trtc-room');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  if (sdk) el.sdk = sdk;
  const result = new Promise((resolve) => {
    el.addEventListener('joined', () => resolve('joined'));
    el.addEventListener('error', ({ detail }) => resolve(detail.code + (detail.sdkCode === undefined ? '' : ' ' + detail.sdkCode)));
  });
  document.body.append(el);
  return result;
}

const room = { 'sdk-app-id': '1400000001', 'room-id': '1', 'user-sig': 'sig' };
const emulator = createTrtcEmulator();
window.outcomes = Promise.all([
  outcome({ ...room, 'user-id': 'double-v4' }, emulator.sdk),
  outcome({ ...room, 'user-id': 'double-v5' }, emulator.sdkV5),
  outcome({ ...room, 'user-id': 'real-v4' }),
  outcome({ ...room, 'user-id': 'real-v5', sdk: 'v5' }),
]);
window.outcomes.then((outcomes) => (window.settledOutcomes = outcomes));
`;

/** Writes the page (src/main.js, index.html) and the @web/test-runner set-up into `dir`. */
export function writeConsumerApp(dir, { v5 }) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, 'src/main.js'), pageScript({ v5 }));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/src/main.js"></script></head><body></body></html>',
  );
  writeFileSync(
    join(dir, 'test/join.test.js'),
    `import '../src/main.js';
it('every element reaches its expected first outcome', async function () {
  this.timeout(45000);
  const outcomes = await window.outcomes;
  const expected = ${JSON.stringify(expectedOutcomes({ v5 }))};
  if (JSON.stringify(outcomes) !== JSON.stringify(expected)) throw new Error('outcomes ' + JSON.stringify(outcomes) + ', expected ' + JSON.stringify(expected));
});
`,
  );
  // An app's own config: node-resolve, and (with trtc-sdk-v5) CommonJS conversion for sdp, which trtc-sdk-v5
  // reaches through webrtc-adapter; docs/loading.md shows the same two lines.
  writeFileSync(
    join(dir, 'web-test-runner.config.mjs'),
    `import { chromeLauncher } from '${tool('@web/test-runner-chrome/index.mjs')}';
${v5 ? `import { fromRollup } from '${tool('@web/dev-server-rollup/index.mjs')}';\nimport rollupCommonjs from '${tool('@rollup/plugin-commonjs/dist/es/index.js')}';\n` : ''}
export default {
  files: ['test/**/*.test.js'],
  nodeResolve: true,
  rootDir: ${JSON.stringify(dir)},
  ${v5 ? "plugins: [fromRollup(rollupCommonjs)({ include: ['**/node_modules/sdp/**'], strictRequires: false })]," : ''}
  browsers: [chromeLauncher({ launchOptions: { executablePath: ${JSON.stringify(findChromium())}, headless: true, args: ${JSON.stringify([...chromiumArgs, ...CONSUMER_CHROMIUM_ARGS])} } })],
  testFramework: { config: { timeout: 45000 } },
};
`,
  );
}

/** Serves a build's output folder with the page. */
async function serveBuild(dir, outDir, warnings) {
  writeFileSync(
    join(outDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./main.js"></script></head><body></body></html>',
  );
  const server = await serveDirectory(outDir);
  return { url: `${server.url}/index.html`, warnings, close: server.close };
}

const messageText = (entry) => (typeof entry === 'string' ? entry : (entry?.message ?? String(entry)));

/**
 * Each bundler or dev server, as an app would run it. Each takes the app folder and returns the page's URL, the
 * warnings the tool printed, and `close()`.
 */
export const PAGE_TOOLCHAINS = {
  async esbuild(dir) {
    const { build } = await import(tool('esbuild/lib/main.js'));
    const outDir = join(dir, 'out-esbuild');
    const result = await build({
      entryPoints: [join(dir, 'src/main.js')],
      absWorkingDir: dir,
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: outDir,
      logLevel: 'silent',
    });
    return serveBuild(
      dir,
      outDir,
      result.warnings.map((warning) => warning.text),
    );
  },

  async rollup(dir, { v5 }) {
    const { rollup } = await import(tool('rollup/dist/es/rollup.js'));
    const { nodeResolve } = await import(tool('@rollup/plugin-node-resolve/dist/es/index.js'));
    // trtc-sdk-v5 reaches the CommonJS package sdp: Rollup needs @rollup/plugin-commonjs for it (docs/loading.md).
    const commonjs = v5 ? (await import(tool('@rollup/plugin-commonjs/dist/es/index.js'))).default : undefined;
    const warnings = [];
    const bundle = await rollup({
      input: join(dir, 'src/main.js'),
      plugins: [nodeResolve({ browser: true, rootDir: dir }), ...(commonjs ? [commonjs()] : [])],
      onwarn: (warning) => warnings.push(messageText(warning)),
    });
    const outDir = join(dir, 'out-rollup');
    await bundle.write({ dir: outDir, format: 'es' });
    await bundle.close();
    return serveBuild(dir, outDir, warnings);
  },

  async webpack(dir) {
    const { default: webpack } = await import(tool('webpack/lib/index.js'));
    const outDir = join(dir, 'out-webpack');
    const stats = await new Promise((done, fail) =>
      webpack(
        {
          mode: 'development',
          devtool: false,
          context: dir,
          entry: './src/main.js',
          output: { path: outDir, filename: 'main.js', publicPath: './' },
        },
        (error, result) => (error ? fail(error) : done(result)),
      ),
    );
    const info = stats.toJson({ all: false, warnings: true, errors: true });
    if (info.errors.length) throw new Error(`webpack: ${info.errors.map(messageText).join('\n')}`);
    return serveBuild(dir, outDir, info.warnings.map(messageText));
  },

  async 'vite build'(dir) {
    const vite = await import(tool('vite/dist/node/index.js'));
    const { logger, warnings } = collectingLogger(vite);
    const outDir = join(dir, 'out-vite');
    await vite.build({
      root: dir,
      configFile: false,
      logLevel: 'warn',
      customLogger: logger,
      build: { outDir, emptyOutDir: true },
    });
    const server = await serveDirectory(outDir);
    return { url: `${server.url}/index.html`, warnings, close: server.close };
  },

  async 'vite dev server'(dir) {
    const vite = await import(tool('vite/dist/node/index.js'));
    const { logger, warnings } = collectingLogger(vite);
    const server = await vite.createServer({
      root: dir,
      configFile: false,
      logLevel: 'warn',
      customLogger: logger,
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
    const { port } = server.httpServer.address();
    return { url: `http://127.0.0.1:${port}/index.html`, warnings, close: () => server.close() };
  },
};

function collectingLogger(vite) {
  const warnings = [];
  const logger = vite.createLogger('warn', { allowClearScreen: false });
  const base = { ...logger };
  logger.warn = (message, options) => {
    warnings.push(message);
    // The SDKs make a chunk over Vite's 500 kB hint: expected, so not printed (still collected).
    if (!/Some chunks are larger than/.test(message)) base.warn(message, options);
  };
  logger.warnOnce = (message, options) => {
    warnings.push(message);
    base.warnOnce(message, options);
  };
  return { logger, warnings };
}

/** Runs the app's own @web/test-runner (its config above); resolves with its exit code and output. */
export function runWebTestRunner(dir) {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/@web/test-runner/dist/bin.js'), '--config', 'web-test-runner.config.mjs'],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

/** Reads a file of the installed package, for checks on what the app got. */
export const installedFile = (dir, path) => readFileSync(join(dir, 'node_modules/trtc-room', path), 'utf8');

/** A value of each documented input, as JSX gives it in the TSX consumer (every input needs one here). */
const TSX_INPUT_VALUES = {
  sdkAppId: '{1400000001}',
  roomId: '{1234}',
  strRoomId: '{undefined}',
  userId: '"alice"',
  userSig: '"sig"',
  mode: '"live"',
  role: '"anchor"',
  sdk: '{undefined}',
  sdkGeneration: '"v5"',
  proxy: "{{ websocketProxy: 'ws://127.0.0.1:8090/signal/v4', loggerProxy: 'http://127.0.0.1:8090/sdk-log' }}",
  camera: '',
  microphone: '{false}',
  cameraId: '""',
  microphoneId: '"default"',
  speakerId: '{undefined}',
  screen: '{false}',
  layout: '"tiles"',
  controls: '',
  strings: "{{ leave: 'Hang up' }}",
};

/**
 * A React 19 TSX file that uses every documented input (`inputs`: the element's property names) and every event
 * (`events`: TRTC_ROOM_EVENTS) as props of `<trtc-room>`, with `import type {} from 'trtc-room/react'`, for tsc.
 * Each handler reads its detail's own field, and the @ts-expect-error lines prove the props are not `any`.
 */
export function writeReactTsxConsumer(dir, { inputs, events }) {
  const missing = inputs.filter((name) => !(name in TSX_INPUT_VALUES));
  if (missing.length) throw new Error(`The TSX consumer needs a value for the input(s) ${missing.join(', ')}`);
  const detailField = {
    joined: 'roomId',
    left: 'userId',
    banned: 'reason',
    error: 'code',
    'peer-join': 'userId',
    'peer-leave': 'userId',
    'connection-state-change': 'state',
    'state-change': 'prevState',
    'local-media': 'camera',
    'peer-media': 'video',
    'speaking-change': 'speaking',
    control: 'control',
    'network-quality': 'uplink',
    'devices-change': 'cameras',
    'device-fallback': 'kind',
  };
  const props = [
    ...inputs.map((name) => (TSX_INPUT_VALUES[name] ? `${name}=${TSX_INPUT_VALUES[name]}` : name)),
    ...events.map((name) =>
      name in detailField
        ? `on${name}={(event) => void event.detail.${detailField[name]}}`
        : `on${name}={(event) => void Object.keys(event.detail)}`,
    ),
  ];
  writeFileSync(
    join(dir, 'react-consumer.tsx'),
    `import type {} from 'trtc-room/react';
import type { AutoplayBlockedDetail, LocalMediaDetail, PeerMediaDetail, TrtcRoom } from 'trtc-room';

export const Room = () => (
  <trtc-room
    ref={(el: TrtcRoom | null) => void el?.join()}
    ${props.join('\n    ')}
  />
);
export const details = (local: LocalMediaDetail, peer: PeerMediaDetail, blocked: AutoplayBlockedDetail) => [
  local.microphone,
  peer.audio,
  blocked,
];
// @ts-expect-error layout is 'tiles' or 'none'
export const badLayout = <trtc-room layout="grid" />;
// @ts-expect-error camera is a boolean
export const badCamera = <trtc-room camera="yes" />;
// @ts-expect-error a peer-media detail has no such field
export const badDetail = <trtc-room onpeer-media={(event) => event.detail.nope} />;
`,
  );
  return 'react-consumer.tsx';
}
