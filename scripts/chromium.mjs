// One place that knows how to find and start the system Chromium (Debian's `chromium` package).
import { existsSync } from 'node:fs';

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The Chromium binary: CHROME_PATH, else the usual system paths; exits with what to install if none. */
export function findChromium() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    console.error(
      'No Chromium found for the browser tests.\n' +
        '  On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium\n' +
        '  Or point CHROME_PATH at a Chrome or Chromium binary.',
    );
    process.exit(1);
  }
  return found;
}

// Shared browsers. A Chromium start costs about 3 s of CPU, and the Node suites start dozens. `npm test`
// (scripts/test.mjs) starts one Chromium server for each set of extra arguments in SHARED_CHROMIUM_ARG_SETS and
// passes their addresses in SHARED_CHROMIUM_ENV; launchChromium() then connects to the one started with exactly the
// arguments it was given (its Browser's close() only disconnects, closing the contexts it made), and starts a
// browser of its own for any other set, or when the variable is absent (`node --test file` alone).
// Flags act on the whole browser: a set is shared only by suites that ask for exactly the same flags.
export const SHARED_CHROMIUM_ENV = 'TRTC_ROOM_SHARED_CHROMIUM';
/** Chromium reaches nothing but this machine: every host but loopback fails to resolve. */
export const LOOPBACK_ONLY = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost';
/**
 * The fake camera (a moving pattern, at 10 frames a second: Chromium's default 20, which the SDKs take at 15, costs a
 * third more CPU for each camera sent and received, on a 2-core machine that runs a dozen calls at once) and
 * microphones (a beep), with permission granted without a prompt. The bench (scripts/bench.mjs) keeps the default.
 */
export const FAKE_DEVICES = ['--use-fake-device-for-media-stream=fps=10', '--use-fake-ui-for-media-stream'];
/** The extra-argument sets asked for by more than one Node suite. */
export const SHARED_CHROMIUM_ARG_SETS = [[], [LOOPBACK_ONLY], FAKE_DEVICES, [LOOPBACK_ONLY, ...FAKE_DEVICES]];
/** The key of a set of extra arguments: the same flags in any order give the same browser. */
export const chromiumArgsKey = (extraArgs) => [...new Set(extraArgs)].sort().join('\n');

/**
 * Playwright's own `--disable-features` list (playwright-core's src/server/chromium/chromiumSwitches.ts, 1.65), which
 * test/node/chromium.test.mjs checks against the installed playwright-core: Chromium keeps only the last
 * `--disable-features` it is given, so PLAYWRIGHT_FEATURES_OFF repeats Playwright's before adding to it.
 */
export const PLAYWRIGHT_FEATURES_OFF = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];
/**
 * The omnibox's WebUI popups. Headless Chromium (156) preloads them, in a renderer of their own, for every window it
 * opens, and Playwright opens a window for every browser context: about 2 s of CPU a context on this 2-core machine,
 * which the Node suites pay about a hundred times (each page of theirs is a fresh context). No test page has an
 * omnibox.
 */
export const OMNIBOX_POPUPS = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

function launchOptions(extraArgs) {
  const featuresOff = `--disable-features=${[...PLAYWRIGHT_FEATURES_OFF, ...OMNIBOX_POPUPS].join(',')}`;
  return { executablePath: findChromium(), headless: true, args: [...chromiumArgs, featuresOff, ...extraArgs] };
}

/**
 * Launches Chromium through playwright-core (never a downloaded browser), or connects to the shared one `npm test`
 * started with the same `extraArgs` (see SHARED_CHROMIUM_ENV). Either way, `close()` when done.
 */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  const shared = JSON.parse(process.env[SHARED_CHROMIUM_ENV] || '{}')[chromiumArgsKey(extraArgs)];
  if (shared) return chromium.connect(shared, { timeout: 60_000 });
  return chromium.launch(launchOptions(extraArgs));
}

/** Starts a Chromium server for launchChromium(extraArgs) to connect to: `wsEndpoint()`, `close()`. */
export async function launchChromiumServer(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launchServer(launchOptions(extraArgs));
}

/**
 * Opens a blank page in `browserOrContext` running `script` (bundled page code) as a module script; the page's
 * uncaught errors are pushed to `problems`, for the test to check. Given `origin` (a URL any server there
 * answers), the page is first loaded from it and then emptied, so it is a page of that origin: the local servers
 * let only their own origin's pages in.
 */
export async function openModulePage(browserOrContext, script, problems, { origin } = {}) {
  const page = await browserOrContext.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  if (origin !== undefined) await page.goto(origin);
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: script, type: 'module' });
  return page;
}
