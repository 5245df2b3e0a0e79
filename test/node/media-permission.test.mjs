// A real permission refusal, which the browser suites cannot give (they run with --use-fake-ui-for-media-stream,
// which grants every request): a Chromium page with the fake devices but no permission granted. The element
// reports media-failed with NotAllowedError for each device and stays in the room, in both generations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { FAKE_DEVICES, launchChromium } from '../../scripts/chromium.mjs';
import { bundlePageScript } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');

const pageScript = `
import '${root}/src/index.ts';
import { createTrtcEmulator } from '${root}/src/testing/index.ts';
window.enterRoom = (generation) => {
  const emulator = createTrtcEmulator();
  const el = document.createElement('trtc-room');
  el.sdk = generation === 'v5' ? emulator.sdkV5 : emulator.sdk;
  Object.assign(el, { sdkAppId: 1400000001, roomId: 7, userId: 'alice', userSig: 'sig', camera: true, microphone: true });
  const reports = [];
  el.addEventListener('error', (event) => reports.push({ code: event.detail.code, field: event.detail.field, name: event.detail.name, state: el.state }));
  document.body.append(el);
  window.reports = reports;
  window.element = el;
};
`;

/** A page at http://localhost/ (a secure context, so it may ask for devices; served by the test, not a server) running `script`. */
async function openSecurePage(context, script, problems, origin = 'http://localhost') {
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route(`${origin}/`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body></body></html>' }),
  );
  await page.goto(`${origin}/`);
  await page.addScriptTag({ content: script, type: 'module' });
  return page;
}

test('permission denied by the browser (no fake-UI grant): media-failed NotAllowedError for camera and microphone, still joined (v4 and v5)', async (t) => {
  const bundle = await bundlePageScript(pageScript);
  // The fake devices exist, but nothing grants the permission: Chromium refuses the request.
  const browser = await launchChromium(['--use-fake-device-for-media-stream']);
  t.after(() => browser.close());
  for (const generation of ['v4', 'v5']) {
    const context = await browser.newContext();
    const problems = [];
    const page = await openSecurePage(context, bundle, problems);
    await page.waitForFunction(() => typeof window.enterRoom === 'function');
    await page.evaluate((generation) => window.enterRoom(generation), generation);
    await page.waitForFunction(() => window.reports.length >= 2 && window.element.state === 'joined', null, {
      timeout: 15_000,
    });
    const reports = await page.evaluate(() => window.reports);
    assert.deepEqual(
      reports.map(({ field, ...rest }) => ({ field, ...rest })).sort((a, b) => a.field.localeCompare(b.field)),
      [
        { field: 'camera', code: 'media-failed', name: 'NotAllowedError', state: 'joined' },
        { field: 'microphone', code: 'media-failed', name: 'NotAllowedError', state: 'joined' },
      ],
      generation,
    );
    assert.equal(await page.evaluate(() => window.element.state), 'joined');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a page that is not a secure context (http: other than localhost): media-failed NotSupportedError, as both SDKs refuse capture there', async (t) => {
  const bundle = await bundlePageScript(pageScript);
  const browser = await launchChromium(FAKE_DEVICES);
  t.after(() => browser.close());
  for (const generation of ['v4', 'v5']) {
    const context = await browser.newContext();
    const problems = [];
    const page = await openSecurePage(context, bundle, problems, 'http://trtc-room.test');
    assert.equal(await page.evaluate(() => window.isSecureContext), false);
    await page.evaluate((generation) => window.enterRoom(generation), generation);
    await page.waitForFunction(() => window.reports.length >= 2 && window.element.state === 'joined', null, {
      timeout: 15_000,
    });
    const reports = await page.evaluate(() => window.reports);
    assert.deepEqual(
      reports.map((report) => report.name),
      ['NotSupportedError', 'NotSupportedError'],
      generation,
    );
    assert.deepEqual(problems, []);
    await context.close();
  }
});
