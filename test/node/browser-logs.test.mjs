// The test output leaves out only the browser logs the suites expect (scripts/browser-logs.mjs): a log nobody
// expected, the SDKs' own errors other than an offline join's included, stays in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isExpectedBrowserLog } from '../../scripts/browser-logs.mjs';

const V4_BADGE = ['%cTRTC%c%s', 'padding: 1px 4px', 'display: inline'];

test("the SDKs' debug and info lines, report objects included, are left out", () => {
  assert.ok(isExpectedBrowserLog('log', ['[19:08:41:713] <DEBUG> [↑t1-r1] bindParent: t1']));
  assert.ok(isExpectedBrowserLog('log', ['[19:08:46:937] <DEBUG> [↑t1-r1-kpm] {', { uint32_sdk_app_id: 1 }]));
  assert.ok(isExpectedBrowserLog('info', [...V4_BADGE, '[20:08:49:713] <INFO> [↑s1|alice] video settings: {}']));
});

test("an offline join's schedule failure and retries are left out, on both SDKs", () => {
  assert.ok(isExpectedBrowserLog('error', ['[19:08:46:928] <ERROR> schedule failed: Failed to fetch', 0]));
  assert.ok(isExpectedBrowserLog('warn', ['[19:08:46:934] <WARN> [↑t1-r1|alice] join retry 1']));
  const v4 = '[20:10:41:507] <ERROR> RtcError: Failed to join room - schedule failed\n <SCHEDULE_FAILED 0x404c>';
  assert.ok(isExpectedBrowserLog('error', [...V4_BADGE, v4]));
});

test("the SDKs' other warnings and errors stay in", () => {
  assert.ok(!isExpectedBrowserLog('error', ['[19:08:46:928] <ERROR> publish failed: NotAllowedError']));
  assert.ok(!isExpectedBrowserLog('warn', [...V4_BADGE, '[20:10:41:507] <WARN> ICE connection failed']));
});

test("the page's own logs stay in, except the lifecycle model's run summary", () => {
  assert.ok(!isExpectedBrowserLog('error', ['Uncaught TypeError: x is not a function']));
  assert.ok(!isExpectedBrowserLog('log', ['schedule failed']), "only the SDKs' own lines are recognised");
  assert.ok(!isExpectedBrowserLog('log', [{ state: 'joined' }]));
  assert.ok(isExpectedBrowserLog('log', ['lifecycle model: 1000 sequences, 18909 steps', '{}']));
  assert.ok(!isExpectedBrowserLog('error', ['lifecycle model: 1000 sequences, 18909 steps']));
});
