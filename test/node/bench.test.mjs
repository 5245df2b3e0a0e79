// The benchmark's budgets, checked in CI from bytes, counts and reachability only (never from times):
// runs `npm run bench -- --json` (scripts/bench.mjs) once and checks each budget on its figures.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const KB = 1024;
let bench;

before(async () => {
  // The script exits 1 when a budget is breached; its JSON says which, and each test below checks one.
  const stdout = await new Promise((done, fail) =>
    // The media rows are times, not budgets, and need fake devices and seconds of calls: left out here.
    execFile(
      process.execPath,
      ['scripts/bench.mjs', '--json', '--media', 'off'],
      { cwd: root, maxBuffer: 1 << 24 },
      (error, out, err) =>
        out.trim().startsWith('{') ? done(out) : fail(new Error(`the bench did not run: ${error?.message}\n${err}`)),
    ),
  );
  bench = JSON.parse(stdout);
});

test('no byte of the SDK is fetched before the first join, and the SDK chunk is fetched at it', () => {
  assert.equal(bench.sdk.waitingState, 'idle');
  assert.equal(bench.sdk.sdkBytesBeforeJoin, 0);
  assert.ok(bench.sdk.sdkBytesAtFirstJoin > 0, 'the first join fetched the SDK chunk (so the count above can see it)');
});

test('after 1,000 create/connect/join/disconnect/leave cycles and a forced GC, no element and no SDK client is reachable', () => {
  assert.equal(bench.cycles.forcedGc, true, 'gc() was exposed');
  assert.equal(bench.cycles.elementsMade, 1000);
  assert.equal(bench.cycles.reachableElements, 0);
  assert.equal(bench.cycles.clientsMade, 1000);
  assert.equal(bench.cycles.reachableClients, 0);
});

test('banned is dispatched while the SDK client-banned callback runs (the same task)', () => {
  assert.equal(bench.ban.sameTask, bench.ban.times);
});

// What a CDN page loads before any join: the bundle's entry (src/sdk-v5.ts) with Lit, of which LitElement is 5.5 KB.
test('the CDN entry with Lit is at most 9 KB min+gzip', () => {
  assert.ok(bench.size.entryWithLitGzip <= 9 * KB, `${(bench.size.entryWithLitGzip / KB).toFixed(2)} KB`);
});

// 3 KB until issue 14; the product owner let the media inputs take it past 3 KB while the entry fits 9 KB.
// 3.25 KB until issue 21: the device inputs (cameraId, microphoneId, speakerId, Lit properties from the start) and
// the `devices`/`capabilities` getters (reading the session; their code is in the first-join chunk) took it to
// 3.27 KB; 3.28 KB is the least that fits, with the CDN entry still within 9 KB. The `screen` input (a Lit property
// from the start, reset with camera and microphone) then took it to 3361 B: 3.29 KB, the least that fits.
test("the element's own code in the entry (Lit external) is at most 3.29 KB min+gzip", () => {
  assert.ok(bench.size.ownCodeGzip <= 3.29 * KB, `${(bench.size.ownCodeGzip / KB).toFixed(2)} KB`);
});

test('the element code imported at the first join is measured, and none of the SDK is in it', () => {
  // The visit code, the media code (src/media/, the adapters' media halves), the call UI (src/ui/: tiles, controls,
  // strings, icons), the adapters and the loader: a chunk of its own, well under the SDK's ~100 KB.
  assert.ok(bench.size.ownCodeAtFirstJoinGzip > 0, 'the visit chunk was found');
  // 8 KB until issue 20: the call UI (src/ui/, about 4.5 KB gzipped) loads in it, as the brief decided.
  assert.ok(bench.size.ownCodeAtFirstJoinGzip < 16 * KB, `${(bench.size.ownCodeAtFirstJoinGzip / KB).toFixed(2)} KB`);
});
