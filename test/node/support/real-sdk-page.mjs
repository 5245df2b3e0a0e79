// A page served from the emulator's own origin that puts <trtc-room> elements on the unmodified TRTC SDKs
// (trtc-js-sdk and trtc-sdk-v5, bundled as installed) or on the emulated SDK, and records what they report.
// Chromium reaches nothing but this machine: other hosts do not resolve and other requests are aborted.
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { FAKE_DEVICES, LOOPBACK_ONLY, launchChromium } from '../../../scripts/chromium.mjs';
import { loadTs } from '../../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../../..');

const pageScript = `
import TRTCv4 from 'trtc-js-sdk';
import TRTCv5 from 'trtc-sdk-v5';
import '${root}/src/index.ts';
import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
import * as mediaProbe from '${root}/test/support/media-probe.ts';
// What the page captures and shows, read as the conformance tables' media rows read it.
window.mediaProbe = mediaProbe;
mediaProbe.recordCaptures();
// A second camera (Chromium's fake devices have one), listed once a test sets secondCamera.present.
window.secondCamera = mediaProbe.stubSecondCamera();
window.secondCamera.present = false;
window.TRTCv4 = TRTCv4;
window.TRTCv5 = TRTCv5;
window.reports = [];
window.connectionStates = {};
let elements = 0;
/**
 * Puts one <trtc-room> in the page: on the real SDK ('v4', 'v5') with only el.proxy set from GET /proxy, or on
 * the emulated one ('double'). Resolves to its number, which its reports carry as \`el\`.
 */
window.enterRoom = async ({ sdk, userId, roomId, strRoomId, props }) => {
  const el = document.createElement('trtc-room');
  const number = ++elements;
  el.dataset.number = String(number);
  if (sdk === 'double') el.sdk = connectTrtcEmulator(location.origin.replace(/^http/, 'ws') + '/trtc').sdk;
  else {
    el.sdk = sdk === 'v5' ? TRTCv5 : TRTCv4;
    el.proxy = (await (await fetch('/proxy')).json())[sdk];
  }
  el.sdkAppId = 1400000001;
  if (strRoomId !== undefined) el.strRoomId = strRoomId;
  else el.roomId = roomId;
  el.userId = userId;
  el.userSig = 'sig';
  // More inputs, e.g. { camera: true, microphone: true }.
  Object.assign(el, props ?? {});
  for (const type of ['joined', 'left', 'banned', 'error', 'peer-join', 'peer-leave']) {
    el.addEventListener(type, (event) => {
      const { reason, sdkReason, code, sdkCode, message } = event.detail;
      const report = { el: number, type };
      if (type === 'banned') Object.assign(report, { reason, sdkReason, message });
      if (type === 'error') Object.assign(report, { code, sdkCode, message });
      if (type.startsWith('peer-')) report.userId = event.detail.userId;
      window.reports.push(report);
    });
  }
  // The SDK's connection states, apart from the reports (which the tables compare): how a test sees v5's move.
  el.addEventListener('connection-state-change', (event) => (window.connectionStates[number] ??= []).push(event.detail.state));
  document.body.append(el);
  return number;
};
/** Removes element \`number\` (it leaves, unless it is already out). */
window.removeElement = (number) => document.querySelector(\`trtc-room[data-number="\${number}"]\`).remove();
// Joins as the page loads when an init script set window.joinOnLoad (enterRoom's options): no script from the test
// runs first, which would count as a user gesture (Playwright's evaluate is one) and let the page autoplay.
if (window.joinOnLoad) window.enterRoom(window.joinOnLoad);
`;

let bundle;
/** The page script with both SDKs, built once per process. */
async function pageBundle() {
  bundle ??= build({
    stdin: { contents: pageScript, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    ignoreAnnotations: true,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return bundle;
}

/**
 * Starts the emulator (serving the test page at /real-sdk-page) and Chromium; `t.after` stops both. Given
 * `browser` (one the caller launched with flags of its own), it opens its pages there and leaves it open.
 * `serverOptions` go to startEmulatorServer. `pages` maps more paths to page scripts (ES modules) the emulator serves from its own origin the same way.
 * Returns { server, browser, open(), lines }: open() makes a page in a fresh context (its own tab and storage);
 * `open(name, { path, ready, init })` opens another served page and waits until its global `ready` is defined
 * (`ready: null`: it does not wait, and so runs no script in the page, which Chromium would count as a user gesture);
 * `init` is a script run in the page before its own; `clock: true` installs Playwright's clock in the page's
 * context first (time flows as usual until a test fast-forwards it: `page.clock.fastForward(ms)`).
 */
export async function startRealSdkRig(
  t,
  { log = false, extraArgs = [], pages = {}, serverOptions = {}, browser: given } = {},
) {
  const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
  const script = await pageBundle();
  const lines = [];
  const server = await startEmulatorServer({
    ...serverOptions,
    log: (line) => {
      lines.push(line);
      if (log) console.log(line);
    },
    handleRequest(request, response) {
      const scripts = { '/real-sdk-page': script, ...pages };
      const path = request.url ?? '';
      if (Object.hasOwn(scripts, path)) {
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            `<!doctype html><meta charset=utf-8><title>real SDK</title><body><script type="module" src="${path}.js"></script>`,
          );
        return true;
      }
      if (path.endsWith('.js') && Object.hasOwn(scripts, path.slice(0, -3))) {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts[path.slice(0, -3)]);
        return true;
      }
      return false;
    },
  });
  t.after(() => server.close());
  const browser =
    given ??
    (await launchChromium([
      LOOPBACK_ONLY,
      // A fake camera and microphone, for the publish attempts.
      ...FAKE_DEVICES,
      ...extraArgs,
    ]));
  if (!given) t.after(() => browser.close());
  const problems = [];
  const aborted = [];
  async function open(name = 'page', { path = '/real-sdk-page', ready = 'enterRoom', init, clock = false } = {}) {
    const context = await browser.newContext();
    if (clock) await context.clock.install();
    // A script that runs in the page before its own (e.g. one that records captured tracks).
    if (init) await context.addInitScript(init);
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      aborted.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`${name}: ${error.message}`));
    // A busy machine (2 cores shared by many) can take long to load the page with both SDKs.
    await page.goto(`${server.url}${path}`, { timeout: 120_000 });
    if (ready) await page.waitForFunction((ready) => window[ready] !== undefined, ready);
    return page;
  }
  return { server, browser, open, problems, aborted, lines };
}

/** The page's reports so far: of every element, or only of element `el`, without its number. */
export async function reportsOf(page, el) {
  const reports = await page.evaluate(() => window.reports);
  return el === undefined ? reports : reports.filter((r) => r.el === el).map(({ el: _, ...report }) => report);
}
/** Waits until the page has reported `count` events matching `match` (el, type, and optionally userId). */
export function waitForReport(page, match, { count = 1, timeout = 20_000 } = {}) {
  return page.waitForFunction(
    ({ match, count }) =>
      window.reports.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v)).length >= count,
    { match, count },
    { timeout },
  );
}
