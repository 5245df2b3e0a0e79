import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

// The npm build: one ES module per source file, with lit and both SDKs left to the app's bundler.
// Each SDK is reached only through a dynamic import(), so neither joins the entry's chunk.
const external = (id) => /^(lit|@lit|trtc-js-sdk|trtc-sdk-v5)(\/|$)/.test(id);

export default [
  {
    input: { index: 'src/index.ts' },
    external,
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [nodeResolve(), esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' })],
  },
];
