import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

// The npm build: one ES module per source file, with lit and both SDKs left to the app's bundler.
// Each SDK is reached only through a dynamic import(), so neither joins the entry's chunk.
const external = (id) => /^(lit|@lit|trtc-js-sdk|trtc-sdk-v5)(\/|$)/.test(id);

// The CDN bundle: one self-contained, minified module for a plain `<script type="module" src>` with no
// import map. Lit is inside it. Every SDK the loader imports lazily becomes its own chunk beside it, named
// after its package, fetched only at the first join that needs it. `sdp` (reached from trtc-sdk-v5 through
// webrtc-adapter 9) is CommonJS behind a `module` field, so esbuild pre-bundles it into an ES module.
const packageName = (id) => id && /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'))?.[1];
const cdnBundle = {
  input: { 'trtc-room': 'src/index.ts' },
  output: {
    dir: 'dist/cdn',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: (chunk) => `${packageName(chunk.facadeModuleId) ?? '[name]'}-[hash].js`,
  },
  plugins: [nodeResolve({ browser: true }), esbuild({ target: 'es2021', tsconfig: 'tsconfig.json', optimizeDeps: { include: ['sdp'] } }), terser()],
};

export default [
  {
    input: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    external,
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [nodeResolve(), esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' })],
  },
  cdnBundle,
];
