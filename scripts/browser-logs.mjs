// The browser logs the suites expect, left out of the test output so that a log nobody expected stands out
// (web-test-runner's filterBrowserLogs; also usable on Playwright console messages). Everything else is kept.

// The real SDKs' own log lines: trtc-sdk-v5 writes `[19:08:41:713] <DEBUG> …`; trtc-js-sdk the same text after a
// styled `TRTC` badge (`console.error('%cTRTC%c%s', style, style, text)`).
const SDK_LINE = /^\[\d\d:\d\d:\d\d:\d{3}\] <(DEBUG|INFO|WARN|ERROR)>/;
const V4_BADGE = '%cTRTC%c%s';
// What the SDKs log, and the tests expect, when a join finds no TRTC service (the suites run offline): the failed
// schedule request, the SDK's retries, and the SCHEDULE_FAILED (0x404c) error the tests then assert on.
const OFFLINE_JOIN = /schedule failed|SCHEDULE_FAILED|join retry \d+/i;
// The tests' own progress lines (the lifecycle model's run summary).
const OWN_INFO = [/^lifecycle model( with media)?: \d+ sequences, \d+ steps/];

/** True for a log the suites expect; `args` are the console call's arguments (strings for text). */
export function isExpectedBrowserLog(type, args) {
  const first = typeof args[0] === 'string' ? args[0] : '';
  const text = first === V4_BADGE ? args.slice(3) : args;
  const sdk = typeof text[0] === 'string' ? SDK_LINE.exec(text[0]) : null;
  if (sdk) {
    // Their debug and info lines (report objects included) always; warnings and errors only for an offline join.
    if (sdk[1] === 'DEBUG' || sdk[1] === 'INFO') return true;
    return OFFLINE_JOIN.test(text.filter((arg) => typeof arg === 'string').join(' '));
  }
  return (type === 'log' || type === 'info') && OWN_INFO.some((pattern) => pattern.test(first));
}
