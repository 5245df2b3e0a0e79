import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, FAKE_DEVICES, findChromium } from './scripts/chromium.mjs';
import { commonjsPackages } from './scripts/commonjs-packages.mjs';
import { bundledTrtcSdkV5 } from './scripts/bundled-sdk-v5.mjs';
import { svelteComponents } from './scripts/svelte-components.mjs';
import { isExpectedBrowserLog } from './scripts/browser-logs.mjs';

// The README's framework snippets import the package by name: in the tests that is the source.
const packageSource = {
  name: 'package-source',
  resolveImport: ({ source }) => (source === 'trtc-room' ? '/src/index.ts' : undefined),
};

// Chromium's fake camera and microphone (FAKE_DEVICES: a moving test pattern and a tone), with permission granted
// without a prompt: the media suites (test/media/) capture from them. No other suite asks for a device, so one browser
// serves all (a group of its own would also run whenever a single file is given on the command line).

export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  // Bounds, not timings: on a busy 2-core machine (npm test runs the lint and Node phases alongside) Chromium can take
  // over 30 s to open a page and the lifecycle model over 2 minutes.
  browserStartTimeout: 120000,
  testsFinishTimeout: 600000,
  // The SDKs' expected logs (scripts/browser-logs.mjs) are left out, so that an unexpected one stands out.
  filterBrowserLogs: ({ type, args }) => !isExpectedBrowserLog(type, args),
  plugins: [
    esbuildPlugin({ ts: true, tsx: true, target: 'es2021', tsconfig: 'tsconfig.json' }),
    bundledTrtcSdkV5(),
    commonjsPackages(['react', 'react-dom/client']),
    svelteComponents(),
    packageSource,
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: [...chromiumArgs, ...FAKE_DEVICES] },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
};
