// `npm pack` produces a package that works when installed into another project and imported as
// `trtc-room`: the right files, the exports map, the types, and a working element in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, openModulePage } from '../../scripts/chromium.mjs';

const root = resolve(import.meta.dirname, '../..');
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('the packed package installs, type-checks and runs as `trtc-room`', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'trtc-room-pack-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  const files = packed.files.map((file) => file.path).sort();
  assert.ok(files.includes('dist/index.js') && files.includes('dist/index.d.ts'), 'entry and its types are packed');
  assert.ok(files.includes('dist/trtc-room.d.ts') && files.includes('dist/sdk/loader.js'), 'the modules the entry imports are packed');
  const stray = files.filter((path) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|custom-elements\.json$)/.test(path));
  assert.deepEqual(stray, [], 'nothing but the build, the manifest, the README and the licence');
  assert.ok(!files.some((path) => path.endsWith('.map')), 'no source maps pointing at unpublished sources');
  assert.ok(files.includes('dist/cdn/trtc-room.js'), 'the CDN bundle is packed');
  assert.ok(files.some((path) => /^dist\/cdn\/trtc-js-sdk-[\w-]+\.js$/.test(path)), 'with the SDK chunk beside it');
  assert.ok(files.includes('custom-elements.json'), 'the custom elements manifest is packed');
  assert.ok(files.includes('LICENSE'), 'the licence is packed');

  // The fields CDNs, bundlers and tools read point at packed files.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const isPacked = (path) => files.includes(path.replace(/^\.\//, ''));
  for (const field of ['main', 'module', 'types', 'unpkg', 'jsdelivr', 'customElements']) {
    assert.ok(pkg[field] && isPacked(pkg[field]), `package.json ${field} (${pkg[field]}) is a packed file`);
  }
  for (const [command, path] of Object.entries(pkg.bin ?? {})) assert.ok(isPacked(path), `bin ${command} → ${path} is a packed file`);
  assert.ok(pkg.bin?.['trtc-room-emulator'], 'the emulator command is a bin entry');
  assert.equal(pkg.unpkg, './dist/cdn/trtc-room.js');
  assert.equal(pkg.jsdelivr, './dist/cdn/trtc-room.js');
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const path of targets(target)) assert.ok(isPacked(path), `exports ${subpath} → ${path} is a packed file`);
  }
  const sideEffect = (path) =>
    pkg.sideEffects.some((pattern) => new RegExp(`^${pattern.replace(/^\.\//, '').replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path));
  assert.ok(sideEffect('dist/index.js') && sideEffect('dist/cdn/trtc-room.js'), 'the modules that define the tag are side effects, the CDN bundle too');
  assert.ok(!sideEffect('dist/trtc-room.js'), 'the class module alone can be tree-shaken');
  const frameworks = /^(react|react-dom|vue|@angular\/|svelte|preact)/;
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    assert.deepEqual(Object.keys(pkg[field] ?? {}).filter((name) => frameworks.test(name)), [], `no framework in ${field}`);
  }

  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename)], app);
  // trtc-sdk-v5 is an optional peer: a v4 app neither installs it nor fails to bundle without it (below).
  assert.ok(!existsSync(join(app, 'node_modules/trtc-sdk-v5')), 'the optional peer trtc-sdk-v5 is not installed');

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
  // The README's TypeScript snippet, framework-free, and proof that the event types are not any:
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
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2021', lib: ['ES2022', 'DOM'], noEmit: true, skipLibCheck: false, types: [] }, files: ['consumer.ts', 'typed-events.ts'] }),
  );
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);

  // Server-side rendering (Next.js, Nuxt, Angular SSR, Astro) imports the package in Node: it must not throw.
  // Lit's Node build brings its DOM shim's customElements, so the tag is defined there, as Lit SSR expects.
  const ssr = run(
    process.execPath,
    ['--input-type=module', '-e', "const m = await import('trtc-room'); console.log(JSON.stringify({ cls: typeof m.TrtcRoom, defined: customElements.get('trtc-room') === m.TrtcRoom }));"],
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
  const browser = await launchChromium();
  try {
    const problems = [];
    const page = await openModulePage(browser, bundle.outputFiles[0].text, problems);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 10000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { state: 'joined', detail: { roomId: 7, userId: 'packed' }, isClass: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
