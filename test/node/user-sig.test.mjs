// The emulator's TLS v2 signature code against Tencent's own signing library, tls-sig-api-v2: it
// accepts what Tencent's library issues, refuses what is wrong, and issues what Tencent's verifier shape expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { loadTs } from '../../scripts/load-ts.mjs';

const { Api } = createRequire(import.meta.url)('tls-sig-api-v2');
const { verifyUserSig, generateTestUserSig } = await loadTs('src/testing/index.ts');
const { RoomService } = await loadTs('src/emulator/core/room-service.ts');
const SDK_APP_ID = 1400000001;
const KEY = 'a-secret-key-of-the-app';

const refusal = (promise) =>
  promise.then(
    () => 'accepted',
    (error) => error.message,
  );

test('accepts a signature issued by tls-sig-api-v2 for that app and user', async () => {
  const sig = new Api(SDK_APP_ID, KEY).genUserSig('alice', 3600);
  await verifyUserSig(KEY, { sdkAppId: SDK_APP_ID, userId: 'alice', userSig: sig });
});

test('refuses tls-sig-api-v2 signatures for another user, another app, another key, and expired ones', async () => {
  const api = new Api(SDK_APP_ID, KEY);
  assert.match(
    await refusal(verifyUserSig(KEY, { sdkAppId: SDK_APP_ID, userId: 'bob', userSig: api.genUserSig('alice', 3600) })),
    /another userId/,
  );
  assert.match(
    await refusal(
      verifyUserSig(KEY, {
        sdkAppId: SDK_APP_ID,
        userId: 'alice',
        userSig: new Api(SDK_APP_ID + 1, KEY).genUserSig('alice', 3600),
      }),
    ),
    /SDKAppID/,
  );
  assert.match(
    await refusal(
      verifyUserSig(KEY, {
        sdkAppId: SDK_APP_ID,
        userId: 'alice',
        userSig: new Api(SDK_APP_ID, 'other').genUserSig('alice', 3600),
      }),
    ),
    /secret key/,
  );
  const now = Math.floor(Date.now() / 1000);
  assert.match(
    await refusal(
      verifyUserSig(KEY, {
        sdkAppId: SDK_APP_ID,
        userId: 'alice',
        userSig: api.genUserSig('alice', 60),
        now: now + 120,
      }),
    ),
    /expired/,
  );
});

test('a RoomService with the secret key admits tls-sig-api-v2 signatures and refuses others with 0x4004', async () => {
  const service = new RoomService({ secretKey: KEY });
  const sink = { removed() {}, peerJoin() {}, peerLeave() {} };
  await service.join(
    { sdkAppId: SDK_APP_ID, roomId: 1, userId: 'alice', userSig: new Api(SDK_APP_ID, KEY).genUserSig('alice', 60) },
    sink,
  );
  const error = await service
    .join({ sdkAppId: SDK_APP_ID, roomId: 1, userId: 'bob', userSig: 'garbage' }, sink)
    .catch((e) => e);
  assert.equal(error.getCode(), 0x4004);
  assert.deepEqual(
    service.snapshot().map((room) => room.members),
    [['alice']],
  );
});

test('generateTestUserSig issues the same document tls-sig-api-v2 does', async () => {
  const now = Math.floor(Date.now() / 1000);
  const ours = await generateTestUserSig({
    secretKey: KEY,
    sdkAppId: SDK_APP_ID,
    userId: 'alice',
    expireSeconds: 600,
    now,
  });
  const decode = (sig) =>
    JSON.parse(
      inflateSync(Buffer.from(sig.replace(/_/g, '=').replace(/-/g, '/').replace(/\*/g, '+'), 'base64')).toString(),
    );
  const doc = decode(ours);
  const theirsHmac = new Api(SDK_APP_ID, KEY)._hmacsha256('alice', now, 600, null);
  assert.deepEqual(doc, {
    'TLS.ver': '2.0',
    'TLS.identifier': 'alice',
    'TLS.sdkappid': SDK_APP_ID,
    'TLS.time': now,
    'TLS.expire': 600,
    'TLS.sig': theirsHmac,
  });
});
