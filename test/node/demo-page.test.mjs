// The demo page's own usability, in real Chromium on the emulated SDK: what a first-time user sees when a
// field is wrong, a message is long, rooms come and go, or the server stops (issue 14, "Fix on the way").
// The forced exits, peers and admin actions through two tabs are in demo-e2e.test.mjs. Screenshots go to
// .artifacts/demo-page/ (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = resolve(root, '.artifacts/demo-page');

test('the demo page says what went wrong and what to do', async (t) => {
  mkdirSync(shots, { recursive: true });
  const { startDemoServer, DEMO_SDK_APP_ID } = await loadTs('demo/server.ts');
  let server = await startDemoServer({ port: 0 });
  t.after(() => server.close());
  const browser = await launchChromium(['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost']);
  t.after(() => browser.close());
  const problems = [];

  /** Opens the demo page; `consoleErrors` collects what the console says went wrong (a 404, say). */
  async function open({ viewport = { width: 1100, height: 900 }, clock = false } = {}) {
    const page = await browser.newPage({ viewport });
    page.consoleErrors = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && page.consoleErrors.push(message.text()));
    if (clock) await page.clock.install();
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#rooms p, #rooms table'));
    return page;
  }
  const failure = (page) => page.$eval('#failure', (el) => (el.hidden ? null : el.textContent));
  /** Fills the join form's fields by name (a string room id picks "string") and presses Join. */
  async function submit(page, { strRoomId, ...fields }) {
    if (strRoomId !== undefined) {
      await page.check('input[name=roomKind][value=string]');
      fields.roomId = strRoomId;
    }
    for (const [name, value] of Object.entries(fields)) await page.fill(`input[name=${name}]`, String(value));
    await page.click('#join');
  }

  await t.test('the page has an inline SVG favicon and asks the server for nothing that is missing', async () => {
    const page = await open();
    const href = await page.$eval('link[rel=icon]', (link) => link.href);
    assert.match(href, /^data:image\/svg\+xml,/);
    const width = await page.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      return image.naturalWidth;
    }, href);
    assert.ok(width > 0, 'the favicon decodes as an image');
    assert.deepEqual(page.consoleErrors, [], 'no 404 (for /favicon.ico or anything else) while loading');
    await page.close();
  });

  // First of the joins: no room has existed yet on this server.
  await t.test(
    'the rooms list says "No rooms yet." before any room and "No rooms now." once they are gone',
    async () => {
      const page = await open();
      assert.equal(await page.textContent('#rooms'), 'No rooms yet.');
      await submit(page, { roomId: 777 });
      await page.waitForSelector('#rooms table');
      await page.click('#leave');
      await page.waitForFunction(() => document.querySelector('#rooms p'));
      assert.equal(await page.textContent('#rooms'), 'No rooms now.');
      await page.close();
    },
  );

  await t.test("the form's text fields are all the same height", async () => {
    const page = await open();
    await page.selectOption('#sdk-choice', 'cloud'); // shows the UserSig field too
    const heights = await page.$$eval('#join-form input:not([type=radio])', (inputs) =>
      inputs.map((input) => [input.name, Math.round(input.getBoundingClientRect().height * 10) / 10]),
    );
    assert.deepEqual(
      heights.map(([name]) => name),
      ['sdkAppId', 'roomId', 'userId', 'userSig'],
    );
    assert.equal(new Set(heights.map(([, height]) => height)).size, 1, `heights: ${JSON.stringify(heights)}`);
    await page.screenshot({ path: resolve(shots, 'form-cloud.png') });
    await page.close();
  });

  await t.test('the user-id rule is written in the page and is what the browser says of a wrong id', async () => {
    const page = await open();
    assert.match(await page.textContent('label:has(input[name=userId])'), /1–32 characters: A–Z a–z 0–9 _ -/);
    await submit(page, { userId: 'alice smith' });
    assert.equal(
      await page.$eval('input[name=userId]', (input) => input.validationMessage),
      'A user id is 1–32 characters of A–Z a–z 0–9 _ -.',
    );
    assert.equal(await page.getAttribute('trtc-room', 'state'), 'idle', 'the form was not sent');
    await page.fill('input[name=userId]', 'alice_smith-2');
    assert.equal(
      await page.$eval('input[name=userId]', (input) => input.validationMessage),
      '',
      'a valid id clears the message',
    );
    await page.close();
  });

  await t.test('a wrong SDKAppID says which one the emulator serves and what to do, in the page', async () => {
    const page = await open();
    await submit(page, { sdkAppId: 1400123456 });
    await page.waitForSelector('#failure:not([hidden])');
    const text = await failure(page);
    assert.match(text, new RegExp(`serves SDKAppID ${DEMO_SDK_APP_ID} only, not 1400123456`));
    assert.match(
      text,
      new RegExp(`Put ${DEMO_SDK_APP_ID} back to join here, or choose "Real trtc-js-sdk → TRTC cloud"`),
    );
    assert.equal(await page.getAttribute('trtc-room', 'state'), 'idle');
    await page.screenshot({ path: resolve(shots, 'wrong-sdk-app-id.png') });
    // Put right, the same form joins, and the failure goes.
    await submit(page, { sdkAppId: DEMO_SDK_APP_ID });
    await page.waitForSelector('trtc-room[state=joined]');
    assert.equal(await failure(page), null);
    await page.click('#leave');
    await page.waitForSelector('trtc-room[state=left]');
    await page.close();
  });

  await t.test('a long message with no space in it wraps inside its box, on a phone-sized page', async () => {
    const page = await open({ viewport: { width: 360, height: 800 } });
    await submit(page, { strRoomId: `${'x'.repeat(60)}*` }); // '*' is not allowed: the element's own message quotes the id
    await page.waitForSelector('#failure:not([hidden])');
    assert.match(await failure(page), /^invalid-config: str-room-id must be/);
    const box = await page.$eval('#failure', (el) => {
      const card = el.closest('.card').getBoundingClientRect();
      return {
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        right: el.getBoundingClientRect().right,
        cardRight: card.right,
      };
    });
    await page.screenshot({ path: resolve(shots, 'long-message.png'), fullPage: true });
    assert.ok(box.scrollWidth <= box.clientWidth, `the text fits its box: ${JSON.stringify(box)}`);
    assert.ok(box.right <= box.cardRight, `the box stays in its card: ${JSON.stringify(box)}`);
    await page.close();
  });

  await t.test("the admin panel's result line clears itself after a while", async () => {
    const page = await open({ clock: true }); // time flows as usual until the test moves it on
    await submit(page, { userId: 'erin', roomId: 778 });
    await page.locator('[data-testid="remove-778-erin"]').click();
    await page.waitForSelector('trtc-room[state=banned]');
    await page.waitForFunction(() => / done \(RequestId /.test(document.querySelector('#admin-result').textContent));
    assert.match(await page.textContent('#admin-result'), /^RemoveUser done \(RequestId /);
    await page.clock.runFor(10_000);
    assert.equal(await page.textContent('#admin-result'), '');
    await page.close();
  });

  await t.test(
    'a stopped server is said in the page, with what to do, and a restart on the same port joins again',
    async () => {
      const page = await open();
      await submit(page, { roomId: 779 });
      await page.waitForSelector('trtc-room[state=joined]');
      const port = new URL(server.url).port;
      await server.close();
      await page.waitForSelector('#server-down:not([hidden])');
      assert.match(await page.textContent('#server-down'), /does not answer.*npm start/s);
      await page.click('#join');
      await page.waitForFunction(() => /Could not get a UserSig/.test(document.querySelector('#failure').textContent));
      assert.match(
        await failure(page),
        /does not answer: it was stopped\. Start it again with npm start, then press Join\./,
      );
      await page.screenshot({ path: resolve(shots, 'server-stopped.png'), fullPage: true });
      server = await startDemoServer({ port: Number(port) });
      await page.waitForSelector('#server-down', { state: 'hidden' });
      await page.click('#join');
      await page.waitForSelector('trtc-room[state=joined]');
      assert.equal(await failure(page), null);
      await page.close();
    },
  );

  assert.deepEqual(problems, [], 'no uncaught errors: every failure is shown in the page');
});
