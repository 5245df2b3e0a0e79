// The Chromium the suites share (scripts/chromium.mjs): the features it turns off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { launchChromium, PLAYWRIGHT_FEATURES_OFF } from '../../scripts/chromium.mjs';

test("our --disable-features repeats all of Playwright's own (Chromium keeps only the last one)", () => {
  const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
  const bundle = readFileSync(join(root, 'lib/coreBundle.js'), 'utf8');
  const list = /disabledFeatures = \[([^\]]*)\]/.exec(bundle)?.[1];
  assert.ok(list, "playwright-core's disabledFeatures list was not found in lib/coreBundle.js");
  const playwright = [...list.matchAll(/^\s*"([^"]+)",?$/gm)].map((match) => match[1]);
  assert.ok(playwright.length > 5, `Playwright's list read as ${JSON.stringify(playwright)}`);
  assert.deepEqual([...PLAYWRIGHT_FEATURES_OFF].sort(), [...playwright].sort());
});

test("a new browser context opens no omnibox popup (headless Chromium's WebUI, a renderer a window)", async () => {
  const browser = await launchChromium();
  try {
    const contexts = [await browser.newContext(), await browser.newContext()];
    for (const context of contexts) await context.newPage();
    const session = await browser.newBrowserCDPSession();
    const { targetInfos } = await session.send('Target.getTargets');
    // (In `npm test` the browser is shared: other files' pages may be there too, never a browser UI.)
    assert.deepEqual(
      targetInfos.filter((target) => target.type === 'browser_ui' || target.url.startsWith('chrome:')),
      [],
      'no browser UI target beside the pages',
    );
    await Promise.all(contexts.map((context) => context.close()));
  } finally {
    await browser.close();
  }
});
