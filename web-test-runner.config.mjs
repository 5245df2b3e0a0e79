import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { commonjsPackages } from './scripts/commonjs-packages.mjs';
import { bundledTrtcSdkV5 } from './scripts/bundled-sdk-v5.mjs';

export default {
  files: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsx: true, target: 'es2021', tsconfig: 'tsconfig.json' }), bundledTrtcSdkV5(), commonjsPackages(['react', 'react-dom/client'])],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
};
