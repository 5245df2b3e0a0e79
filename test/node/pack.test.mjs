// `npm pack` produces a package that works when installed into another project and imported as
// `trtc-room`: the right files, the exports map, the types, and a working element in Chromium. The tarball is
// packed once, and installed into fresh apps outside this repository (so none of our devDependencies are
// visible to them): `app` without trtc-sdk-v5, as a v4 app has it, and `app-v5` with it. The consumer matrix
// (test/node/consumers.mjs) then builds or serves each app with each toolchain.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, openModulePage } from '../../scripts/chromium.mjs';
import {
  CONSUMER_CHROMIUM_ARGS,
  expectedOutcomes,
  PAGE_TOOLCHAINS,
  runWebTestRunner,
  writeConsumerApp,
  writeReactTsxConsumer,
} from './consumers.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';
import { hasBuiltDist } from '../../scripts/built-dist.mjs';

const root = resolve(import.meta.dirname, '../..');
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const runAsync = (command, args, cwd) =>
  new Promise((done, fail) =>
    execFile(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`)) : done(stdout),
    ),
  );

let work;
let packed;
let files;
let app;
let appV5;
let browser;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'trtc-room-pack-'));
  // prepack builds dist/, unless `npm test` has just built it (scripts/built-dist.mjs).
  const pack = ['pack', '--json', '--pack-destination', work, ...(hasBuiltDist() ? ['--ignore-scripts'] : [])];
  [packed] = JSON.parse(await runAsync('npm', pack, root));
  files = packed.files.map((file) => file.path).sort();
  // Two fresh apps, installed in parallel from the one tarball (and the npm cache).
  app = join(work, 'app');
  appV5 = join(work, 'app-v5');
  const tarball = join(work, packed.filename);
  await Promise.all(
    [
      [app, [tarball]],
      [
        appV5,
        [
          tarball,
          `trtc-sdk-v5@${JSON.parse(readFileSync(join(root, 'node_modules/trtc-sdk-v5/package.json'), 'utf8')).version}`,
        ],
      ],
    ].map(async ([dir, packages]) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      await runAsync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packages], dir);
    }),
  );
  writeConsumerApp(app, { v5: false });
  writeConsumerApp(appV5, { v5: true });
  browser = await launchChromium(CONSUMER_CHROMIUM_ARGS);
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the packed package installs, type-checks and runs as `trtc-room`', async () => {
  assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'), 'entry and its types are packed');
  assert.ok(
    files.includes('dist/trtc-room.d.ts') && files.includes('dist/sdk/loader.js'),
    'the modules the entry imports are packed',
  );
  const stray = files.filter(
    (path) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|custom-elements\.json$)/.test(path),
  );
  assert.deepEqual(stray, [], 'nothing but the build, the manifest, the README and the licence');
  assert.ok(!files.some((path) => path.endsWith('.map')), 'no source maps pointing at unpublished sources');
  assert.ok(files.includes('dist/cdn/trtc-room.js'), 'the CDN bundle is packed');
  assert.ok(
    files.some((path) => /^dist\/cdn\/trtc-js-sdk-[\w-]+\.js$/.test(path)),
    'with the SDK chunk beside it',
  );
  assert.ok(files.includes('custom-elements.json'), 'the custom elements manifest is packed');
  assert.ok(
    files.includes('dist/sdk-v5.js') && files.includes('dist/sdk-v5.d.ts'),
    'the opt-in trtc-room/sdk-v5 and its types are packed',
  );
  // The optional peer is named by the opt-in entry only (and the self-contained CDN bundle, which has it inside).
  const namingV5 = files.filter(
    (path) =>
      path.endsWith('.js') &&
      !path.startsWith('dist/cdn/') &&
      /(\bimport\s*\(?|\bfrom)\s*["']trtc-sdk-v5[/"']/.test(readFileSync(join(root, path), 'utf8')),
  );
  assert.deepEqual(namingV5, ['dist/sdk-v5.js'], 'no other module of the package imports trtc-sdk-v5');
  assert.ok(files.includes('LICENSE'), 'the licence is packed');

  // The fields CDNs, bundlers and tools read point at packed files.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const isPacked = (path) => files.includes(path.replace(/^\.\//, ''));
  for (const field of ['main', 'module', 'types', 'unpkg', 'jsdelivr', 'customElements']) {
    assert.ok(pkg[field] && isPacked(pkg[field]), `package.json ${field} (${pkg[field]}) is a packed file`);
  }
  for (const [command, path] of Object.entries(pkg.bin ?? {}))
    assert.ok(isPacked(path), `bin ${command} → ${path} is a packed file`);
  assert.ok(pkg.bin?.['trtc-room-emulator'], 'the emulator command is a bin entry');
  assert.equal(pkg.unpkg, './dist/cdn/trtc-room.js');
  assert.equal(pkg.jsdelivr, './dist/cdn/trtc-room.js');
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const path of targets(target)) assert.ok(isPacked(path), `exports ${subpath} → ${path} is a packed file`);
  }
  const sideEffect = (path) =>
    pkg.sideEffects.some((pattern) =>
      new RegExp(`^${pattern.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path),
    );
  assert.ok(
    sideEffect('dist/index.js') && sideEffect('dist/sdk-v5.js') && sideEffect('dist/cdn/trtc-room.js'),
    'the modules that define the tag or register an importer are side effects, the CDN bundle too',
  );
  assert.ok(!sideEffect('dist/trtc-room.js'), 'the class module alone can be tree-shaken');
  const frameworks = /^(react|react-dom|vue|@angular\/|svelte|preact)/;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    assert.deepEqual(
      Object.keys(pkg[field] ?? {}).filter((name) => frameworks.test(name)),
      [],
      `no framework in ${field}`,
    );
  }

  // A TypeScript consumer: the tag map, the class, the exported detail types and typed listeners.
  writeFileSync(
    join(app, 'consumer.ts'),
    `import 'trtc-room';
import { TrtcRoom, type BanReason, type BannedDetail, type ErrorDetail } from 'trtc-room';
const el: TrtcRoom = document.createElement('trtc-room');
el.addEventListener('banned', (event) => {
  const reason: BanReason = event.detail.reason;
  const detail: BannedDetail = event.detail;
  console.log(reason, detail.message);
});
el.addEventListener('error', (event) => {
  const detail: ErrorDetail = event.detail;
  console.log(detail.code, detail.field);
});
document.querySelector('trtc-room')?.addEventListener('banned', (event) => event.detail.reason);
const joined: Promise<void> = el.join();
void joined;
const ok: boolean = el instanceof TrtcRoom;
void ok;
`,
  );
  // docs/frameworks.md's TypeScript snippet, framework-free, and proof that the event types are not any:
  // each @ts-expect-error below must meet an error, or tsc fails on the unused directive.
  writeFileSync(
    join(app, 'typed-events.ts'),
    `import 'trtc-room';
import type { BanReason } from 'trtc-room';

const room = document.querySelector('trtc-room')!; // a TrtcRoom, through HTMLElementTagNameMap
room.addEventListener('banned', (e) => {
  console.log(e.detail.reason, e.detail.message); // 'duplicate-user-id' | 'removed-by-admin' | 'room-dismissed' | 'unknown'
});
room.addEventListener('error', (e) => console.log(e.detail.code, e.detail.field));
room.addEventListener('state-change', (e) => console.log(e.detail.prevState, '→', e.detail.state));

// Any element typed as HTMLElement gets the element's events through the global event map.
const host = document.getElementById('room')!;
host.addEventListener('banned', (e) => e.detail.reason satisfies BanReason);
host.addEventListener('peer-join', (e) => e.detail.userId.toUpperCase());

room.addEventListener('banned', (e) => {
  // @ts-expect-error the detail is typed, not any: it has no such field
  console.log(e.detail.notAField);
  // @ts-expect-error reason is a BanReason, not a number
  const wrong: number = e.detail.reason;
  void wrong;
});
// @ts-expect-error 'kicked' is not one of the four reasons
const notAReason: BanReason = 'kicked';
void notAReason;
// @ts-expect-error roomId is a number
room.roomId = '1234';
// @ts-expect-error state is read only
room.state = 'joined';
`,
  );
  // A React 19 TSX file with every documented input and every event as props (the one lists: the element's
  // properties, TRTC_ROOM_EVENTS). React's types come from this repository (`paths`): the app installs no React,
  // so the check costs no install; trtc-room and its types are the packed ones.
  const { TrtcRoom: SourceElement } = await loadTs('src/trtc-room.ts');
  const { TRTC_ROOM_EVENTS } = await loadTs('src/events.ts');
  const tsx = writeReactTsxConsumer(app, { inputs: Object.keys(SourceElement.properties), events: TRTC_ROOM_EVENTS });
  const reactTypes = join(root, 'node_modules/@types/react');
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        jsx: 'react-jsx',
        paths: { react: [reactTypes], 'react/*': [`${reactTypes}/*`] },
        strict: true,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        target: 'ES2021',
        lib: ['ES2022', 'DOM'],
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ['consumer.ts', 'typed-events.ts', tsx],
    }),
  );
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);

  // Server-side rendering (Next.js, Nuxt, Angular SSR, Astro) imports the package in Node: it must not throw.
  // Lit's Node build brings its DOM shim's customElements, so the tag is defined there, as Lit SSR expects.
  const ssr = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('trtc-room'); console.log(JSON.stringify({ cls: typeof m.TrtcRoom, defined: customElements.get('trtc-room') === m.TrtcRoom }));",
    ],
    app,
  );
  assert.deepEqual(JSON.parse(ssr.trim().split('\n').at(-1)), { cls: 'function', defined: true });

  // Bundle a page the way an app would, and run it in Chromium against an instant SDK double.
  writeFileSync(
    join(app, 'page.js'),
    `import { TrtcRoom } from 'trtc-room';
const sdk = { createClient: () => ({ join: async () => {}, leave: async () => {}, destroy() {}, on() {}, off() {} }) };
const el = document.createElement('trtc-room');
el.sdk = sdk;
el.setAttribute('sdk-app-id', '1400000001');
el.setAttribute('room-id', '7');
el.setAttribute('user-id', 'packed');
el.setAttribute('user-sig', 'sig');
el.addEventListener('joined', (e) => { window.result = { state: el.state, detail: e.detail, isClass: el instanceof TrtcRoom }; });
document.body.append(el);
`,
  );
  const bundle = await build({
    entryPoints: [join(app, 'page.js')],
    absWorkingDir: app,
    bundle: true,
    format: 'esm',
    write: false,
    external: ['trtc-js-sdk/*'],
    logLevel: 'silent',
  });
  const problems = [];
  const page = await openModulePage(browser, bundle.outputFiles[0].text, problems);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 10000 });
  const result = await page.evaluate(() => window.result);
  assert.deepEqual(result, { state: 'joined', detail: { roomId: 7, userId: 'packed' }, isClass: true });
  assert.deepEqual(problems, []);
  await page.close();
});

for (const v5 of [false, true]) {
  const which = v5 ? "with trtc-sdk-v5 installed and import 'trtc-room/sdk-v5'" : 'without trtc-sdk-v5 (a v4 app)';
  const expected = expectedOutcomes({ v5 });
  describe(
    `a fresh app ${which}: every toolchain builds or serves it, and its elements reach ${expected.join(', ')}`,
    { concurrency: true },
    () => {
      for (const [name, start] of Object.entries(PAGE_TOOLCHAINS)) {
        test(name, async () => {
          const dir = v5 ? appV5 : app;
          const served = await start(dir, { v5 });
          const context = await browser.newContext();
          try {
            const page = await context.newPage();
            const problems = [];
            page.on('pageerror', (error) => problems.push(error.message));
            await page.goto(served.url);
            // A dev server may reload the page once after optimising a dependency it found late: wait on the final one.
            const settled = await page
              .waitForFunction(() => window.settledOutcomes, null, { timeout: 60000 })
              .catch(() => undefined);
            const states = await page.evaluate(() => [...document.querySelectorAll('trtc-room')].map((el) => el.state));
            assert.ok(settled, `every element settled (states: ${states}; page errors: ${problems})`);
            assert.deepEqual(await page.evaluate(() => window.settledOutcomes), expected);
            assert.deepEqual(problems, []);
          } finally {
            await context.close();
            await served.close();
          }
          if (!v5) {
            const aboutV5 = served.warnings.filter((warning) => /trtc-sdk-v5/.test(warning));
            assert.deepEqual(aboutV5, [], `${name} printed no warning about trtc-sdk-v5`);
          }
        });
      }

      test('@web/test-runner with node-resolve (the open-wc set-up)', async () => {
        const { code, output } = await runWebTestRunner(v5 ? appV5 : app);
        assert.equal(code, 0, output);
        assert.match(output, /1 passed, 0 failed/);
      });
    },
  );
}
