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

/** Launches Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: findChromium(), headless: true, args: [...chromiumArgs, ...extraArgs] });
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
