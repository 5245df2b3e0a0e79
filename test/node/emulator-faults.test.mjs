// The emulator's injected faults (src/emulator/core/faults.ts, docs/emulator.md#faults), networked: the admin API
// (`server.faults`) and its HTTP endpoint (`/faults`, `/restart`, behind the loopback/Host/Origin rules), tried on
// <trtc-room> elements on the unmodified trtc-js-sdk and trtc-sdk-v5 and on the networked doubles. One emulator and
// one Chromium for the file; each case has rooms of its own. Every wait is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealSdkRig, reportsOf, waitForReport } from './support/real-sdk-page.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const WAIT = { timeout: 30_000 };
/** How long after a short drop's end a remote video may take to move again (the SDKs' own recovery; measured in docs/network.md). */
const FRAMES_BACK_WITHIN_MS = 30_000;
/** How long a call's first frames may take (capture, publish, subscribe, ICE and DTLS on a busy machine). */
const FIRST_FRAMES_WITHIN_MS = 60_000;

test("the fault endpoint: POST /faults starts one (201), GET /faults lists, DELETE ends one (404 once gone) or all; a bad request is a 400 with a code and changes nothing; another site's page gets 403", async (t) => {
  const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
  const server = await startEmulatorServer({ port: 0 });
  t.after(() => server.close());
  const ask = async (method, path, body, headers = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
  const started = await ask('POST', '/faults', { type: 'drop', userId: 'alice', roomId: 7, durationMs: 60_000 });
  assert.equal(started.status, 201);
  assert.equal(started.body.fault.type, 'drop');
  assert.deepEqual(started.body.fault.target, { roomId: 7, userId: 'alice' });
  const media = await ask('POST', '/faults', { type: 'media', userId: 'bob', lossPercent: 20, delayMs: 100 });
  assert.equal(media.status, 201);
  assert.deepEqual(
    (await ask('GET', '/faults')).body.faults.map((fault) => fault.id),
    [started.body.fault.id, media.body.fault.id],
  );
  for (const [body, code] of [
    [{ type: 'drop', duration: 5 }, 'UnknownParameter'],
    [{ type: 'nope' }, 'InvalidParameter.Type'],
    [{ type: 'drop', durationMs: -1 }, 'InvalidParameter.DurationMs'],
    [{ type: 'media', lossPercent: 10 }, 'MissingParameter.UserId'],
    [{ type: 'media', userId: 'bob', lossPercent: 101 }, 'InvalidParameter.LossPercent'],
    ['{not json', 'InvalidParameter.Body'],
  ]) {
    const refused = await ask('POST', '/faults', body);
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.equal(refused.body.error.code, code);
    assert.equal(typeof refused.body.error.message, 'string');
  }
  assert.equal((await ask('POST', '/restart', { downMs: 'soon' })).body.error.code, 'InvalidParameter.DownMs');
  assert.equal(server.faults.active.length, 2, 'the refused requests changed nothing');
  const foreign = await ask('POST', '/faults', { type: 'drop' }, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal((await ask('DELETE', '/faults', undefined, { origin: 'https://evil.example' })).status, 403);
  assert.equal(server.faults.active.length, 2);
  assert.equal((await ask('DELETE', `/faults/${started.body.fault.id}`)).status, 200);
  assert.equal((await ask('DELETE', `/faults/${started.body.fault.id}`)).status, 404);
  assert.deepEqual((await ask('DELETE', '/faults')).body, { faults: [] });
  assert.deepEqual(server.faults.active, []);
  assert.deepEqual((await ask('POST', '/restart', { keepRooms: true })).body, { restarted: true, keepRooms: true });
});

test('injected faults on the networked emulator, with the unmodified SDKs and the doubles', async (t) => {
  const rig = await startRealSdkRig(t, {
    log: process.env.STEPS === 'log',
    serverOptions: { dropTimeoutMs: 20_000 },
  });
  const { server } = rig;
  let room = 900;
  const statesOf = (page, el) => page.evaluate((el) => window.connectionStates[el] ?? [], el);
  const stateOf = (page, el) =>
    page.evaluate((el) => document.querySelector(`trtc-room[data-number="${el}"]`).state, el);
  const membersOf = (roomId) => server.rooms().find((r) => r.roomId === roomId)?.members ?? [];
  /** Two pages, alice and bob joined in one fresh room on `sdk` (with `props`, e.g. camera and microphone). */
  async function call(sdk, props) {
    const roomId = ++room;
    const [a, b] = await Promise.all([rig.open(`${sdk}-alice`), rig.open(`${sdk}-bob`)]);
    if (process.env.STEPS === 'log')
      for (const [page, who] of [
        [a, 'alice'],
        [b, 'bob'],
      ])
        page.on('console', (message) => console.log(`[${who}] ${message.text()}`));
    const enter = (page, userId) =>
      page.evaluate((options) => window.enterRoom(options), { sdk, userId, roomId, props });
    const alice = await enter(a, 'alice');
    await waitForReport(a, { el: alice, type: 'joined' }, WAIT);
    const bob = await enter(b, 'bob');
    await waitForReport(b, { el: bob, type: 'joined' }, WAIT);
    await waitForReport(a, { el: alice, type: 'peer-join', userId: 'bob' }, WAIT);
    return { roomId, a, b, alice, bob };
  }
  /**
   * Resolves with the time at which `viewer`'s element `el` saw `userId`'s video bring new frames (bounded: `within`
   * ms); each look is 2 s, on the track's decoded frames (mediaProbe.framesAdvanceWithin).
   */
  async function framesAdvance(viewer, el, userId, within = FRAMES_BACK_WITHIN_MS) {
    const deadline = Date.now() + within;
    while (Date.now() < deadline) {
      const advancing = await viewer.evaluate(
        ({ el, userId }) =>
          window.mediaProbe.framesAdvanceWithin(document.querySelector(`trtc-room[data-number="${el}"]`), userId, 2000),
        { el, userId },
      );
      if (advancing) return Date.now();
    }
    assert.fail(`${userId}'s video in element ${el} brought no new frame within ${within / 1000} s`);
  }

  for (const sdk of ['v4', 'v5', 'double']) {
    await t.test(
      `${sdk}: a 3 s drop of one member: it reconnects, both stay joined, no peer-leave, no repeated peer-join${sdk === 'double' ? '' : ", and each sees the other's camera move again"}`,
      async (st) => {
        const media = sdk !== 'double';
        const { roomId, a, b, alice, bob } = await call(sdk, media ? { camera: true, microphone: true } : {});
        if (media) {
          await Promise.all([
            framesAdvance(a, alice, 'bob', FIRST_FRAMES_WITHIN_MS),
            framesAdvance(b, bob, 'alice', FIRST_FRAMES_WITHIN_MS),
          ]);
        }
        const before = (await statesOf(a, alice)).length;
        const drop = server.faults.drop({ userId: 'alice', roomId, durationMs: 3000 });
        assert.deepEqual(
          server.faults.active.map(({ id, type, target }) => ({ id, type, target })),
          [{ id: drop.id, type: 'drop', target: { roomId, userId: 'alice' } }],
        );
        await a.waitForFunction(
          ({ el, before }) => (window.connectionStates[el] ?? []).slice(before).includes('DISCONNECTED'),
          { el: alice, before },
          WAIT,
        );
        await drop.restored;
        const dropEnded = Date.now();
        // Looked for from the drop's end, while the signalling reconnects: the media path does not wait for it.
        const framesBack = media
          ? Promise.all([framesAdvance(b, bob, 'alice'), framesAdvance(a, alice, 'bob')])
          : Promise.resolve([]);
        assert.deepEqual(server.faults.active, []);
        await a.waitForFunction(
          ({ el, before }) => (window.connectionStates[el] ?? []).slice(before).at(-1) === 'CONNECTED',
          { el: alice, before },
          WAIT,
        );
        // Both ways: what alice (dropped) sends reaches bob, and what bob sends reaches alice.
        const [toBob, toAlice] = await framesBack;
        if (media)
          st.diagnostic(
            `${sdk}: frames advancing again ${toBob - dropEnded} ms (alice → bob) and ${toAlice - dropEnded} ms (bob → alice) after the 3 s drop ended`,
          );
        const states = (await statesOf(a, alice)).slice(before);
        assert.ok(states.length >= 2, `alice's connection went down and came back: ${states.join(' → ')}`);
        assert.equal(await stateOf(a, alice), 'joined');
        assert.equal(await stateOf(b, bob), 'joined');
        assert.deepEqual(membersOf(roomId).sort(), ['alice', 'bob']);
        assert.deepEqual(
          (await reportsOf(b, bob)).filter((r) => r.type.startsWith('peer-')),
          [{ type: 'peer-join', userId: 'alice' }],
          'bob saw alice join once and never leave',
        );
        assert.deepEqual(
          (await reportsOf(a, alice)).filter((r) => r.type.startsWith('peer-')),
          [{ type: 'peer-join', userId: 'bob' }],
          'alice saw bob join once',
        );
        for (const [page, el] of [
          [a, alice],
          [b, bob],
        ])
          assert.deepEqual(
            (await reportsOf(page, el)).filter((r) => r.type === 'error' || r.type === 'left'),
            [],
          );
        await Promise.all([a.context().close(), b.context().close()]);
      },
    );
  }

  assert.deepEqual(rig.problems, []);
  assert.deepEqual(rig.aborted, [], 'no request to another host');
});
