import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { commonjsPackages } from './scripts/commonjs-packages.mjs';
import { bundledTrtcSdkV5 } from './scripts/bundled-sdk-v5.mjs';
import { svelteComponents } from './scripts/svelte-components.mjs';

// The README's framework snippets import the package by name: in the tests that is the source.
const packageSource = { name: 'package-source', resolveImport: ({ source }) => (source === 'trtc-room' ? '/src/index.ts' : undefined) };

export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsx: true, target: 'es2021', tsconfig: 'tsconfig.json' }), bundledTrtcSdkV5(), commonjsPackages(['react', 'react-dom/client']), svelteComponents(), packageSource],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
};
