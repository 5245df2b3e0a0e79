// Bounded work before authentication: a join's userSig is checked for size before it is decoded, and
// decoding stops at a size no real signature reaches, so deflate bombs cost the emulator nothing.
// The emulator runs in a child process, so its memory is measured alone (peak RSS, from the OS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { WebSocket } from 'ws';
import { bundleTs, loadTs } from '../../scripts/load-ts.mjs';

const { verifyUserSig, generateTestUserSig } = await loadTs('src/testing/index.ts');
const { RoomService } = await loadTs('src/emulator/core/room-service.ts');
const { MAX_USER_SIG_LENGTH } = await loadTs('src/emulator/core/user-sig.ts');
const APP = 1400000001;
const KEY = 'the-app-key';
const MiB = 1 << 20;

/** A userSig in tls-sig-api-v2's base64 alphabet that inflates to `bytes` spaces. */
const bomb = (bytes) =>
  deflateSync(Buffer.alloc(bytes, ' '), { level: 9 })
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
// The largest that fits the emulator's 64 KiB WebSocket message: 48 MiB inflated.
const BOMB_64K = bomb(48 * MiB);
// Within the length limit, 3 MiB inflated.
const BOMB_4K = bomb(3 * MiB);
const refusal = (promise) =>
  promise.then(
    () => 'accepted',
    (error) => error.message,
  );

test('the deflate bombs are what they say: a 64 KiB one (48 MiB inflated) and one within 4 KB (3 MiB inflated)', () => {
  assert.ok(BOMB_64K.length > 60_000 && BOMB_64K.length < 65_400, String(BOMB_64K.length));
  assert.ok(BOMB_4K.length <= MAX_USER_SIG_LENGTH, String(BOMB_4K.length));
});

test('a userSig longer than 4 KB is refused unread, and a RoomService refuses the join with JOIN_ROOM_FAILED (0x4004)', async () => {
  assert.equal(MAX_USER_SIG_LENGTH, 4096);
  assert.match(
    await refusal(verifyUserSig(KEY, { sdkAppId: APP, userId: 'alice', userSig: BOMB_64K })),
    /65\d{3} characters, longer than any TLS v2 signature/,
  );
  assert.match(
    await refusal(verifyUserSig(KEY, { sdkAppId: APP, userId: 'alice', userSig: 'x'.repeat(4097) })),
    /longer than any TLS v2 signature/,
  );
  const error = await new RoomService({ secretKey: KEY })
    .join(
      { sdkAppId: APP, roomId: 1, userId: 'alice', userSig: BOMB_64K },
      { removed() {}, peerJoin() {}, peerLeave() {} },
    )
    .catch((e) => e);
  assert.equal(error.getCode(), 0x4004);
  assert.match(error.message, /^Join refused: userSig is \d+ characters/);
});

test('inflating a userSig stops past 16 KB: a 4 KB signature that inflates to 3 MiB is refused', async () => {
  assert.match(
    await refusal(verifyUserSig(KEY, { sdkAppId: APP, userId: 'alice', userSig: BOMB_4K })),
    /inflates to more than 16384 bytes/,
  );
});

test('real signatures still pass the size limits', async () => {
  const userSig = await generateTestUserSig({ secretKey: KEY, sdkAppId: APP, userId: 'a'.repeat(32) });
  assert.equal(await refusal(verifyUserSig(KEY, { sdkAppId: APP, userId: 'a'.repeat(32), userSig })), 'accepted');
});

/** Starts the emulator (with the app key, as the demo runs it) in a child process that answers GET /peak-rss. */
async function emulatorProcess(t) {
  const file = await bundleTs('src/emulator/node/server.ts');
  t.after(() => rmSync(file, { force: true }));
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { startEmulatorServer } = await import(${JSON.stringify(file)});
       const server = await startEmulatorServer({ port: 0, appSecretKey: ${JSON.stringify(KEY)}, handleRequest(request, response) {
         if (request.url !== '/peak-rss') return false;
         response.end(String(process.resourceUsage().maxRSS * 1024));
         return true;
       } });
       console.log(server.webSocketUrl);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(() => child.kill('SIGKILL'));
  const webSocketUrl = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the emulator process exited (${code})`)));
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
  });
  const httpUrl = webSocketUrl.replace(/^ws/, 'http').replace(/\/trtc$/, '');
  return { webSocketUrl, peakRss: async () => Number(await (await fetch(`${httpUrl}/peak-rss`)).text()) };
}

/** One join over its own socket; resolves to the reply. */
function joinWith(webSocketUrl, userId, userSig) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(webSocketUrl);
    socket.on('error', reject);
    socket.on('open', () =>
      socket.send(JSON.stringify({ id: 1, type: 'join', sdkAppId: APP, roomId: 1, userId, userSig })),
    );
    socket.on('message', (data) => {
      resolve(JSON.parse(data.toString()));
      socket.close();
    });
  });
}

for (const [name, userSig, refusedFor] of [
  ['64 KiB deflate-bomb userSigs', BOMB_64K, /longer than any TLS v2 signature/],
  ['4 KB userSigs that inflate to 3 MiB', BOMB_4K, /inflates to more than 16384 bytes/],
]) {
  test(`20 joins in parallel with ${name} are each refused with 0x4004 and raise the emulator's peak RSS by less than 50 MB`, async (t) => {
    const { webSocketUrl, peakRss } = await emulatorProcess(t);
    // Warm up: one real join loads every code path the bombs go through.
    const real = await generateTestUserSig({ secretKey: KEY, sdkAppId: APP, userId: 'warm' });
    assert.equal((await joinWith(webSocketUrl, 'warm', real)).ok, true);
    const before = await peakRss();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => joinWith(webSocketUrl, `mallory${i}`, userSig)),
    );
    const after = await peakRss();
    assert.ok(after - before < 50 * MiB, `peak RSS rose by ${((after - before) / MiB).toFixed(1)} MiB`);
    for (const reply of replies) {
      assert.equal(reply.ok, false);
      assert.equal(reply.error.code, 0x4004);
      assert.match(reply.error.message, refusedFor);
    }
  });
}
