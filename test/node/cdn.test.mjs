// The CDN bundle works on a plain page with no build step and no import map: pages served from a local
// static server load only dist/cdn/trtc-room.js by URL (built here from rollup.config.js into a temp
// folder), and the SDK chunk beside it is fetched only at the first join that needs it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { rollup } from 'rollup';
import configs from '../../rollup.config.js';
import { launchChromium } from '../../scripts/chromium.mjs';
import { hasBuiltDist } from '../../scripts/built-dist.mjs';

const root = resolve(import.meta.dirname, '../..');
const SDK_CHUNK = /^\/cdn\/trtc-js-sdk-[\w-]+\.js$/;
// The element's own code imported at the first join (src/visit.ts), whichever SDK it then uses.
const VISIT_CHUNK = /^\/cdn\/trtc-room-visit-[\w-]+\.js$/;

/** An SDK double for the pages: records calls; join and leave resolve at once. */
const SDK_DOUBLE = `
  window.calls = [];
  window.sdkDouble = {
    createClient(config) {
      calls.push('createClient ' + config.userId);
      return {
        join: async ({ roomId }) => { calls.push('join ' + roomId); },
        leave: async () => { calls.push('leave'); },
        destroy() {}, on() {}, off() {},
      };
    },
  };`;

const page = (head, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const ROOM = 'sdk-app-id="1400000001" room-id="1234" user-id="alice"';

/** The pages, each as a web developer would write it. */
const PAGES = {
  '/blank.html': page(''),
  // The element joins through an `sdk` set on it, here before the bundle has even upgraded it.
  '/sdk-property.html': page(
    '<script type="module" src="/cdn/trtc-room.js"></script>',
    `<trtc-room ${ROOM} user-sig="sig"></trtc-room>
     <script>${SDK_DOUBLE}
       const room = document.querySelector('trtc-room');
       room.sdk = window.sdkDouble;
       room.addEventListener('joined', (event) => { window.joined = event.detail; });
     </script>`,
  ),
  // A page that already has the SDK as a global TRTC (a double here).
  '/global-trtc.html': page(
    `<script>${SDK_DOUBLE} window.TRTC = window.sdkDouble;</script>
     <script type="module" src="/cdn/trtc-room.js"></script>`,
    `<trtc-room ${ROOM} user-sig="sig"></trtc-room>
     <script>document.querySelector('trtc-room').addEventListener('joined', (event) => { window.joined = event.detail; });</script>`,
  ),
  // Neither: the real SDK chunk is imported at the first join. Offline, its join fails with 0x404c.
  '/lazy.html': page(
    '<script type="module" src="/cdn/trtc-room.js"></script>',
    `<trtc-room ${ROOM}></trtc-room>
     <script>document.querySelector('trtc-room').addEventListener('error', (event) => { window.failure = event.detail; });</script>`,
  ),
  // sdk="v5" with neither: the bundle is self-contained, so trtc-sdk-v5's chunk is imported at the first join.
  '/lazy-v5.html': page(
    '<script type="module" src="/cdn/trtc-room.js"></script>',
    `<trtc-room sdk="v5" ${ROOM} user-sig="not-a-real-signature"></trtc-room>
     <script>document.querySelector('trtc-room').addEventListener('error', (event) => { window.failure = event.detail; });</script>`,
  ),
  // docs/loading.md's classic-script page: the SDK's own UMD script (a global TRTC) plus the module bundle.
  '/classic.html': page(
    `<script src="/node_modules/trtc-js-sdk/trtc.js"></script>
     <script type="module" src="/cdn/trtc-room.js"></script>`,
    `<trtc-room ${ROOM} user-sig="not-a-real-signature"></trtc-room>
     <script>
       var room = document.querySelector('trtc-room');
       room.addEventListener('error', function (event) { window.failure = event.detail; });
       customElements.whenDefined('trtc-room').then(function () { window.upgraded = room.state !== undefined; });
     </script>`,
  ),
  // The npm build (through an import map for lit) and the CDN bundle twice, on one page.
  '/together.html': page(
    `<script type="importmap">${JSON.stringify({
      imports: {
        lit: '/node_modules/lit/index.js',
        'lit/': '/node_modules/lit/',
        'lit-html': '/node_modules/lit-html/lit-html.js',
        'lit-html/': '/node_modules/lit-html/',
        'lit-element/': '/node_modules/lit-element/',
        '@lit/reactive-element': '/node_modules/@lit/reactive-element/reactive-element.js',
        '@lit/reactive-element/': '/node_modules/@lit/reactive-element/',
      },
    })}</script>
     <script>${SDK_DOUBLE}</script>
     <script type="module" src="/npm/index.js"></script>
     <script type="module" src="/cdn/trtc-room.js"></script>
     <script type="module" src="/cdn/trtc-room.js?copy=2"></script>`,
    `<trtc-room ${ROOM} user-sig="sig"></trtc-room>
     <script>
       const room = document.querySelector('trtc-room');
       room.sdk = window.sdkDouble;
       room.addEventListener('joined', (event) => { window.joined = event.detail; });
     </script>`,
  ),
};

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };
let work;
/** The CDN build and the npm build. */
let cdnDir;
let npmDir;
let server;
let origin;
let browser;
/** Every path the server was asked for, in order (the query string kept). */
const requests = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'trtc-room-cdn-'));
  [cdnDir, npmDir] = [join(work, 'cdn'), join(work, 'npm')];
  // Build with the project's own rollup config, into a temp folder (dist/ may be rebuilt meanwhile by `npm pack`),
  // unless `npm test` has just built dist/ with it (scripts/built-dist.mjs).
  const cdn = configs.find((config) => config.output.dir === 'dist/cdn');
  const npm = configs.find((config) => config.output.preserveModules);
  assert.ok(cdn, 'rollup.config.js has a build for dist/cdn');
  if (hasBuiltDist()) [cdnDir, npmDir] = [join(root, cdn.output.dir), join(root, npm.output.dir)];
  else
    for (const [config, dir] of [
      [cdn, cdnDir],
      [npm, npmDir],
    ]) {
      const bundle = await rollup({
        ...config,
        input: config === npm ? { index: 'src/index.ts' } : config.input,
        onwarn: () => {},
      });
      await bundle.write({ ...config.output, dir, sourcemap: false });
      await bundle.close();
    }

  const folders = {
    '/cdn/': cdnDir,
    '/npm/': npmDir,
    '/node_modules/': join(root, 'node_modules'),
  };
  server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    requests.push(url.pathname + url.search);
    if (PAGES[url.pathname]) return send(response, 200, 'text/html', PAGES[url.pathname]);
    const prefix = Object.keys(folders).find((p) => url.pathname.startsWith(p));
    const file = prefix && resolve(folders[prefix], decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file || !file.startsWith(folders[prefix] + sep)) return send(response, 404, 'text/plain', 'not found');
    try {
      send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    } catch {
      send(response, 404, 'text/plain', 'not found');
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
  if (work) rmSync(work, { recursive: true, force: true });
});

function send(response, status, type, body) {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/** The bundle, then at the first join its visit chunk: no SDK chunk. */
function assertEntryAndVisitOnly(requests, message = 'no SDK chunk fetched') {
  assert.equal(requests.length, 2, `${message}: ${requests}`);
  assert.equal(requests[0], '/cdn/trtc-room.js', message);
  assert.match(requests[1], VISIT_CHUNK, message);
}

/**
 * Opens `path` in a fresh context, runs `check` with the page and the CDN files it asked for, then checks that
 * the page threw no uncaught error, and closes it.
 */
async function onPage(path, check) {
  requests.length = 0;
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const problems = [];
    tab.on('pageerror', (error) => problems.push(error.message));
    await tab.goto(origin + path);
    await check({ tab, cdnRequests: () => requests.filter((p) => p.startsWith('/cdn/')) });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

test('the CDN bundle is one self-contained module: no bare import specifier, lit inside, the visit code and the SDK in chunks of their own', () => {
  const bundle = readFileSync(join(cdnDir, 'trtc-room.js'), 'utf8');
  const visitChunk = readdirSync(cdnDir).find((file) => VISIT_CHUNK.test(`/cdn/${file}`));
  assert.ok(visitChunk, 'a trtc-room-visit chunk');
  const visit = readFileSync(join(cdnDir, visitChunk), 'utf8');
  for (const [name, code] of [
    ['trtc-room.js', bundle],
    [visitChunk, visit],
  ]) {
    assert.doesNotMatch(code, /\bfrom\s*["'](?![./])/, `${name}: no static import of a bare specifier`);
    assert.doesNotMatch(code, /\bimport\s*\(\s*["'](?![./])/, `${name}: no dynamic import of a bare specifier`);
  }
  assert.match(bundle, /litElementVersions/, 'Lit is inside');
  assert.match(
    bundle,
    new RegExp(`import\\("\\./${visitChunk.replaceAll('.', '\\.')}"\\)`),
    'the visit code is a lazily imported chunk beside it',
  );
  assert.match(visit, /import\("\.\/trtc-js-sdk-[\w-]+\.js"\)/, 'the SDK is a chunk the visit code imports lazily');
  assert.doesNotMatch(bundle, /trtc-js-sdk-[\w-]+\.js/, 'the entry does not name the SDK chunk');
  assert.match(
    bundle,
    /import\("\.\/trtc-sdk-v5-[\w-]+\.js"\)/,
    'the entry registers the lazy import of trtc-sdk-v5 (the bundle is built from trtc-room/sdk-v5)',
  );
  assert.ok(bundle.length < 100_000, `the bundle without the SDK stays small (${bundle.length} bytes)`);
});

test('each SDK the loader can import is a chunk of its own, named after its package, whose default export is that SDK', async () => {
  const chunks = readdirSync(cdnDir).filter((file) => file !== 'trtc-room.js' && !VISIT_CHUNK.test(`/cdn/${file}`));
  assert.ok(
    chunks.some((file) => SDK_CHUNK.test(`/cdn/${file}`)),
    `a trtc-js-sdk chunk among ${chunks}`,
  );
  await onPage('/blank.html', async ({ tab }) => {
    for (const chunk of chunks) {
      assert.match(chunk, /^trtc-(js-sdk|sdk-v5)-[\w-]+\.js$/, 'every chunk is an SDK package');
      const sdk = await tab.evaluate(async (url) => {
        const { default: sdk } = await import(url);
        return { createClient: typeof sdk?.createClient, create: typeof sdk?.create };
      }, `/cdn/${chunk}`);
      assert.ok(
        sdk.createClient === 'function' || sdk.create === 'function',
        `${chunk} exports an SDK: ${JSON.stringify(sdk)}`,
      );
    }
  });
});

test('a plain page that loads only the CDN bundle joins through an sdk set on the element, fetching no SDK chunk', async () => {
  await onPage('/sdk-property.html', async ({ tab, cdnRequests }) => {
    await tab.waitForFunction(() => window.joined !== undefined);
    assert.deepEqual(await tab.evaluate(() => window.joined), { roomId: 1234, userId: 'alice' });
    assert.deepEqual(await tab.evaluate(() => window.calls), ['createClient alice', 'join 1234']);
    assert.equal(await tab.evaluate(() => document.querySelector('trtc-room').getAttribute('state')), 'joined');
    assertEntryAndVisitOnly(cdnRequests());
  });
});

test('a plain page with a global TRTC joins through it, fetching no SDK chunk', async () => {
  await onPage('/global-trtc.html', async ({ tab, cdnRequests }) => {
    await tab.waitForFunction(() => window.joined !== undefined);
    assert.deepEqual(await tab.evaluate(() => window.calls), ['createClient alice', 'join 1234']);
    assertEntryAndVisitOnly(cdnRequests());
  });
});

test('with neither, the SDK chunk is fetched at the first join and not before', async () => {
  await onPage('/lazy.html', async ({ tab, cdnRequests }) => {
    await tab.evaluate(async () => {
      await customElements.whenDefined('trtc-room');
      await document.querySelector('trtc-room').updateComplete;
    });
    assert.equal(await tab.evaluate(() => document.querySelector('trtc-room').state), 'idle', 'waits for user-sig');
    assert.deepEqual(cdnRequests(), ['/cdn/trtc-room.js'], 'nothing of the SDK before the first join');

    await tab.evaluate(() => document.querySelector('trtc-room').setAttribute('user-sig', 'not-a-real-signature'));
    await tab.waitForFunction(() => window.failure !== undefined, null, { timeout: 30000 });
    const failure = await tab.evaluate(() => ({ code: window.failure.code, sdkCode: window.failure.sdkCode }));
    assert.deepEqual(
      failure,
      { code: 'join-failed', sdkCode: 0x404c },
      'the real SDK ran and could not reach Tencent Cloud (offline)',
    );
    const [entry, ...chunks] = cdnRequests();
    assert.equal(entry, '/cdn/trtc-room.js');
    assert.equal(chunks.length, 2, `the visit chunk, then one SDK chunk: ${chunks}`);
    assert.match(chunks[0], VISIT_CHUNK);
    assert.match(chunks[1], SDK_CHUNK);
  });
});

test('sdk="v5" works from the CDN bundle with no other import: trtc-sdk-v5\'s chunk is fetched at the first join, and never trtc-js-sdk', async () => {
  await onPage('/lazy-v5.html', async ({ tab, cdnRequests }) => {
    // Offline, enterRoom() retries its schedule request once before it rejects.
    await tab.waitForFunction(() => window.failure !== undefined, null, { timeout: 45000 });
    const failure = await tab.evaluate(() => ({ code: window.failure.code, sdkCode: window.failure.sdkCode }));
    assert.deepEqual(
      failure,
      { code: 'join-failed', sdkCode: 5500 },
      'the real trtc-sdk-v5 ran the join and could not reach Tencent Cloud (OPERATION_FAILED)',
    );
    const [entry, visit, ...chunks] = cdnRequests();
    assert.equal(entry, '/cdn/trtc-room.js');
    assert.match(visit, VISIT_CHUNK);
    assert.ok(
      chunks.some((chunk) => /^\/cdn\/trtc-sdk-v5-[\w-]+\.js$/.test(chunk)),
      `trtc-sdk-v5's chunk: ${chunks}`,
    );
    assert.ok(!chunks.some((chunk) => SDK_CHUNK.test(chunk)), `no trtc-js-sdk chunk: ${chunks}`);
  });
});

test('a classic-script page: the SDK’s own trtc.js plus the module bundle joins through the global TRTC', async () => {
  await onPage('/classic.html', async ({ tab, cdnRequests }) => {
    await tab.waitForFunction(() => window.failure !== undefined, null, { timeout: 30000 });
    assert.equal(await tab.evaluate(() => window.upgraded), true);
    const failure = await tab.evaluate(() => ({ code: window.failure.code, sdkCode: window.failure.sdkCode }));
    assert.deepEqual(
      failure,
      { code: 'join-failed', sdkCode: 0x404c },
      'the real SDK (global TRTC) ran the join, offline',
    );
    assertEntryAndVisitOnly(cdnRequests(), 'the global TRTC was used: no SDK chunk fetched');
  });
});

test('the npm build and the CDN bundle twice on one page: no error, the tag defined once, by the first to load', async () => {
  await onPage('/together.html', async ({ tab, cdnRequests }) => {
    await tab.waitForFunction(() => window.joined !== undefined);
    const result = await tab.evaluate(async () => {
      const npm = await import('/npm/index.js');
      const cdn = await import('/cdn/trtc-room.js');
      const copy = await import('/cdn/trtc-room.js?copy=2');
      const defined = customElements.get('trtc-room');
      return {
        definedByNpmBuild: defined === npm.TrtcRoom,
        threeCopies: new Set([npm.TrtcRoom, cdn.TrtcRoom, copy.TrtcRoom]).size,
        upgradedByIt: document.querySelector('trtc-room') instanceof defined,
        calls: window.calls,
      };
    });
    assert.deepEqual(result, {
      definedByNpmBuild: true,
      threeCopies: 3,
      upgradedByIt: true,
      calls: ['createClient alice', 'join 1234'],
    });
    assert.deepEqual(cdnRequests(), ['/cdn/trtc-room.js', '/cdn/trtc-room.js?copy=2']);
  });
});
