// The v4 double gives only trtc-js-sdk's own error codes, under the SDK's own names: each code constant it
// exports is checked against the SDK's table (in its shipped trtc.esm.js, and index.d.ts where it lists the code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTs } from '../../scripts/load-ts.mjs';

const root = resolve(import.meta.dirname, '../..');
const sdkSource = readFileSync(resolve(root, 'node_modules/trtc-js-sdk/trtc.esm.js'), 'utf8');
const typings = readFileSync(resolve(root, 'node_modules/trtc-js-sdk/index.d.ts'), 'utf8');

/** The SDK's ErrorCode table, name → code, as its code defines it. */
function sdkErrorCodes() {
  const table = /\{INVALID_PARAMETER:4096,[^}]*\}/.exec(sdkSource)?.[0];
  assert.ok(table, "the SDK's error code table was found in trtc.esm.js");
  return new Map([...table.matchAll(/(\w+):(\d+)/g)].map(([, name, code]) => [name, Number(code)]));
}

test("every error code the v4 double exports is trtc-js-sdk's, under its name; 0x4005 and 0x4009 are not used as the double used them", async () => {
  const codes = sdkErrorCodes();
  const v4 = await loadTs('src/emulator/page/v4-client.ts');
  const remote = await loadTs('src/emulator/page/remote.ts');
  const exported = {
    INVALID_PARAMETER: v4.INVALID_PARAMETER,
    INVALID_OPERATION: v4.INVALID_OPERATION,
    JOIN_ROOM_FAILED: v4.JOIN_ROOM_FAILED,
    SIGNAL_CHANNEL_RECONNECTION_FAILED: v4.SIGNAL_CHANNEL_RECONNECTION_FAILED,
    UNKNOWN: v4.UNKNOWN,
    SCHEDULE_FAILED: remote.SCHEDULE_FAILED,
  };
  for (const [name, code] of Object.entries(exported)) {
    assert.equal(codes.get(name), code, `${name} is ${codes.get(name)} in the SDK`);
  }
  for (const [name, code] of Object.entries(exported)) {
    if (name === 'SCHEDULE_FAILED') continue; // in the SDK's code, not in its index.d.ts
    assert.match(typings, new RegExp(`\\b${name}: 0x${code.toString(16)};`), `index.d.ts lists ${name}`);
  }
  assert.equal(codes.get('CREATE_OFFER_FAILED'), 0x4005, '0x4005 is CREATE_OFFER_FAILED, not a leave failure');
  assert.ok(![...codes.values()].includes(0x4009), '0x4009 is no code of the SDK');
  for (const key of Object.keys(v4))
    assert.ok(!/LEAVE_ROOM_FAILED|SERVER_CONNECTION_LOST/.test(key), `the double no longer exports ${key}`);
});

test("the v4 double's messages are built from the SDK's own words, as its code has them", async () => {
  const v4 = await loadTs('src/emulator/page/v4-client.ts');
  // The SDK builds a ban message as "client was banned because of " + its sentence for the reason + ".".
  assert.ok(
    sdkSource.includes('"client was banned because of " + e.message + "."') ||
      sdkSource.includes('"client was banned because of "+e.message+"."'),
    'the SDK builds ban messages so',
  );
  for (const sentence of [
    'you got banned by the admin',
    'duplicated userId joining the room',
    'the room has been disbanded by the admin',
  ]) {
    assert.ok(sdkSource.includes(`"${sentence}"`), `the SDK says "${sentence}"`);
    assert.ok(
      Object.values(v4.BAN_MESSAGES).some((message) => message.startsWith(`client was banned because of ${sentence}.`)),
      `the double says "${sentence}"`,
    );
  }
  for (const words of [
    'please call leave() before destroy().',
    'is calling client.join api or has already joined room, please avoid repeated join.',
    'signal channel reconnection failed, please check your network.',
    'duplicate join() called.',
  ]) {
    assert.ok(sdkSource.includes(words), `the SDK says "${words}"`);
  }
  // Every message gets the SDK's pointer to its documentation.
  assert.ok(sdkSource.includes('" \\nRefer to: "'), 'the SDK appends " \\nRefer to: <link>\\n"');
  assert.equal(v4.sdkMessage('x'), 'x \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/index.html\n');
});
