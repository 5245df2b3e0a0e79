// `npm test` (scripts/test.mjs) builds dist/ once, from clean, before the Node phase, and sets BUILT_DIST_ENV: the
// suites that test the build (pack, cdn, emulator-server) then use that build rather than each building its own.
// Run alone (`node --test file`), each still builds what it needs.
export const BUILT_DIST_ENV = 'TRTC_ROOM_BUILT_DIST';

/** Whether dist/ was just built from these sources by `npm test`. */
export const hasBuiltDist = () => process.env[BUILT_DIST_ENV] === '1';
