// The attacks of issue 13 from a real browser: a page of another site on this machine (a second loopback
// origin) tries CSRF on the demo's /api/admin, a cross-site WebSocket join, and reading the rooms; a page
// reaching the demo through a rebound DNS name tries to read a user signature and call /api/admin as
// "same-origin". Each fails, and the member in the room stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { launchChromium, openModulePage } from '../../scripts/chromium.mjs';
import { bundlePageScript, loadTs } from '../../scripts/load-ts.mjs';
import { join, openSocket, send } from './support/local-server.mjs';

const root = resolve(import.meta.dirname, '../..');
const { startDemoServer, DEMO_SDK_APP_ID } = await loadTs('demo/server.ts');
const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
const REMOVE_ALICE = { action: 'RemoveUser', sdkAppId: DEMO_SDK_APP_ID, roomId: 1, userIds: ['alice'] };

/** Another site on this machine: its own server on another port, reached as localhost. */
async function anotherSite(t) {
  const other = createServer((request, response) => response.end('<!doctype html><title>another site</title>'));
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => other.close(resolve)));
  return other;
}

/** What the attacker's page does against `target` (the demo's URL, no trailing slash); resolves to what it got. */
async function attack([target, removeAlice]) {
  const outcome = (promise) =>
    promise.then(
      (value) => value,
      (error) => `failed: ${error.name}`,
    );
  const read = (path, init) =>
    outcome(fetch(`${target}${path}`, init).then(async (response) => `${response.status} ${await response.text()}`));
  const csrf = await outcome(
    fetch(`${target}/api/admin`, { method: 'POST', mode: 'no-cors', body: JSON.stringify(removeAlice) }).then(
      (response) => response.type,
    ),
  );
  const joinAsAlice = await new Promise((resolve) => {
    const socket = new WebSocket(`${target.replace(/^http/, 'ws')}/trtc`);
    socket.onopen = () => {
      socket.send(
        JSON.stringify({
          id: 1,
          type: 'join',
          sdkAppId: removeAlice.sdkAppId,
          roomId: 1,
          userId: 'alice',
          userSig: 'any',
        }),
      );
      socket.onmessage = (event) => resolve(`opened, answered ${event.data}`);
    };
    socket.onerror = () => resolve('refused');
  });
  return {
    csrf,
    joinAsAlice,
    rooms: await read('/rooms'),
    apiRooms: await read('/api/rooms'),
    userSig: await read(`/api/user-sig?sdkAppId=${removeAlice.sdkAppId}&userId=alice`),
    jsonAdmin: await read('/api/admin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(removeAlice),
    }),
  };
}

test('a page on a second loopback origin cannot remove a user through /api/admin, join as that user over WebSocket, or read /rooms; a rebound host name cannot either', async (t) => {
  const server = await startDemoServer({ port: 0 });
  t.after(() => server.close());
  const target = `http://127.0.0.1:${server.emulator.port}`;
  // Alice is in room 1, with a signature from the demo, as its own page would get it.
  const { userSig } = JSON.parse(
    (await send({ port: server.emulator.port }, { path: `/api/user-sig?sdkAppId=${DEMO_SDK_APP_ID}&userId=alice` }))
      .body,
  );
  const { socket: alice } = await openSocket(server.emulator.webSocketUrl, { origin: target });
  t.after(() => alice.close());
  assert.equal((await join(alice, { sdkAppId: DEMO_SDK_APP_ID, userId: 'alice', userSig })).ok, true);
  let aliceRemoved = false;
  alice.on('message', (data) => (aliceRemoved ||= JSON.parse(data.toString()).type === 'removed'));

  const other = await anotherSite(t);

  const browser = await launchChromium([`--host-resolver-rules=MAP rebound.test 127.0.0.1`, '--no-proxy-server']);
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`http://localhost:${other.address().port}/`);
  const crossSite = await page.evaluate(attack, [target, REMOVE_ALICE]).catch((error) => assert.fail(error));
  assert.equal(crossSite.csrf, 'opaque', 'the no-cors POST was sent');
  assert.equal(crossSite.joinAsAlice, 'refused');
  for (const read of ['rooms', 'apiRooms', 'userSig', 'jsonAdmin'])
    assert.equal(crossSite[read], 'failed: TypeError', `${read}: the page could not read the answer`);

  // DNS rebinding: the page's origin is rebound.test:PORT, the demo's own port, so its requests look same-origin.
  const rebound = await browser.newPage();
  await rebound.goto(`http://rebound.test:${server.emulator.port}/`);
  assert.match(await rebound.textContent('body'), /ForeignHost/, 'the demo refused even the page');
  const sameOriginLooking = await rebound.evaluate(attack, [
    `http://rebound.test:${server.emulator.port}`,
    REMOVE_ALICE,
  ]);
  assert.equal(sameOriginLooking.joinAsAlice, 'refused');
  for (const read of ['rooms', 'apiRooms', 'userSig', 'jsonAdmin'])
    assert.match(sameOriginLooking[read], /^403 .*ForeignHost/, read);

  // Nothing changed: alice is still in her room, never removed or kicked.
  assert.deepEqual(
    server.emulator.rooms().map((room) => room.members),
    [['alice']],
  );
  assert.equal(aliceRemoved, false);
});

test("a page of another origin (an app's dev server) joins through connectTrtcEmulator once allowedOrigins (--allow-origin) names it; refused, its join error names the option", async (t) => {
  const other = await anotherSite(t);
  const origin = `http://localhost:${other.address().port}`;
  const refusing = await startEmulatorServer({ port: 0 });
  t.after(() => refusing.close());
  const allowing = await startEmulatorServer({ port: 0, allowedOrigins: [origin] });
  t.after(() => allowing.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const problems = [];
  const bundle = await bundlePageScript(`
    import { connectTrtcEmulator } from '${root}/src/emulator/page/remote.ts';
    window.tryJoin = async (url) => {
      const client = connectTrtcEmulator(url).sdk.createClient({ sdkAppId: 1400000001, userId: 'dev', userSig: 'sig', mode: 'rtc' });
      return client.join({ roomId: 7 }).then(() => 'joined', (error) => error.getCode().toString(16) + ': ' + error.message);
    };
  `);
  const page = await openModulePage(browser, bundle, problems, { origin });
  await page.waitForFunction(() => typeof window.tryJoin === 'function');
  const refused = await page.evaluate((url) => window.tryJoin(url), refusing.webSocketUrl);
  assert.match(refused, new RegExp(`^404c: .*--allow-origin ${origin}`));
  assert.deepEqual(refusing.rooms(), []);
  assert.equal(await page.evaluate((url) => window.tryJoin(url), allowing.webSocketUrl), 'joined');
  assert.deepEqual(
    allowing.rooms().map((room) => room.members),
    [['dev']],
  );
  assert.deepEqual(problems, []);
});
