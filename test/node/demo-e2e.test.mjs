// End to end: the demo server (`npm start`) and the demo page in real Chromium pages, driven through
// the page's own UI. Screenshots of each banned page go to .artifacts/e2e/ (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const shots = resolve(root, '.artifacts/e2e');

test('the demo shows every forced exit through its own UI', async (t) => {
  mkdirSync(shots, { recursive: true });
  const { startDemoServer } = await loadTs('demo/server.ts');
  const server = await startDemoServer({ port: 0 });
  t.after(() => server.close());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const problems = [];
  let alice; // the two pages of case 1, used again in cases 2 to 4

  /** Opens the demo in a new tab and joins through the form. */
  async function joinAs(userId, room) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (error) => problems.push(`${userId}: ${error.message}`));
    await page.goto(server.url);
    await page.fill('input[name=userId]', userId);
    if (typeof room === 'string') await page.check('input[name=roomKind][value=string]');
    await page.fill('input[name=roomId]', String(room));
    await page.click('#join');
    await page.waitForSelector('trtc-room[state=joined]');
    return page;
  }
  const banReason = (page) => page.$eval('#ban', (el) => (el.hidden ? null : el.dataset.reason));
  const banned = (page) => page.waitForSelector('trtc-room[state=banned]');
  // The others in the room (the page lists the user too, as "alice (you)").
  const peers = (page) => page.$$eval('#peers li:not(.muted):not(.self)', (items) => items.map((li) => li.textContent));

  await t.test('1. the same userId in a second page bans the first with duplicate-user-id; the second stays', async () => {
    const first = await joinAs('alice', 1234);
    const second = await joinAs('alice', 1234);
    await banned(first);
    assert.equal(await banReason(first), 'duplicate-user-id');
    assert.match(await first.textContent('#ban'), /same user id joined it from another tab/);
    assert.equal(await second.getAttribute('trtc-room', 'state'), 'joined');
    await first.screenshot({ path: resolve(shots, 'duplicate-user-id.png'), fullPage: true });
    alice = { first, second };
  });

  await t.test('2. the admin panel\'s RemoveUser bans that user with removed-by-admin; the other page sees the peer leave', async () => {
    const bob = await joinAs('bob', 1234);
    await alice.second.waitForFunction(() => [...document.querySelectorAll('#peers li')].some((li) => li.textContent === 'bob'));
    // Locators, not element handles: the admin panel re-renders when the rooms change.
    const remove = alice.second.locator('[data-testid="remove-1234-bob"]');
    assert.equal(await remove.getAttribute('data-action'), 'RemoveUser');
    await remove.click();
    await banned(bob);
    assert.equal(await banReason(bob), 'removed-by-admin');
    assert.match(await bob.textContent('#ban'), /removed you from this room/);
    await alice.second.waitForFunction(() => ![...document.querySelectorAll('#peers li')].some((li) => li.textContent === 'bob'));
    assert.deepEqual(await peers(alice.second), []);
    assert.match(await alice.second.textContent('#log'), /peer-leave\{"userId":"bob"\}/);
    await bob.screenshot({ path: resolve(shots, 'removed-by-admin.png'), fullPage: true });
  });

  await t.test('3. dismissing a string room (DismissRoomByStrRoomId) bans everyone in it with room-dismissed', async () => {
    const carol = await joinAs('carol', 'standup');
    const dave = await joinAs('dave', 'standup');
    await carol.waitForFunction(() => document.querySelector('[data-testid="remove-standup-dave"]') !== null);
    const dismiss = carol.locator('[data-testid="dismiss-standup"]');
    assert.equal(await dismiss.getAttribute('data-action'), 'DismissRoomByStrRoomId');
    await dismiss.click();
    await Promise.all([banned(carol), banned(dave)]);
    assert.equal(await banReason(carol), 'room-dismissed');
    assert.equal(await banReason(dave), 'room-dismissed');
    assert.match(await dave.textContent('#ban'), /dismissed this room/);
    assert.equal(await alice.second.getAttribute('trtc-room', 'state'), 'joined', 'other rooms are untouched');
    await dave.screenshot({ path: resolve(shots, 'room-dismissed.png'), fullPage: true });
  });

  await t.test('4. "Join again" after a ban enters the room again', async () => {
    const { first, second } = alice;
    await first.click('#join-again');
    await first.waitForSelector('trtc-room[state=joined]');
    assert.equal(await banReason(first), null);
    await banned(second); // the same userId again: now the other tab is the earlier one
    assert.equal(await banReason(second), 'duplicate-user-id');
  });

  assert.deepEqual(problems, []);
});
