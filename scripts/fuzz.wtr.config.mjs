// web-test-runner config for `npm run fuzz`: the project's config, running only the fuzz page, with the
// parameters scripts/fuzz.mjs passes in TRTC_FUZZ (JSON) handed to the page as `window.trtcFuzz`.
import base from '../web-test-runner.config.mjs';

const params = JSON.parse(process.env.TRTC_FUZZ ?? '{}');

export default {
  ...base,
  files: ['test/fuzz/lifecycle.fuzz.ts'],
  testsFinishTimeout: 24 * 60 * 60 * 1000,
  testFramework: { config: { timeout: 0 } },
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <body>
    <script>window.trtcFuzz = ${JSON.stringify(params)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
