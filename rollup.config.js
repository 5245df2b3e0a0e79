import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { build as esbuildBuild } from 'esbuild';
import { builtinModules } from 'node:module';

// The npm build: one ES module per source file, with lit and both SDKs left to the app's bundler.
// Each SDK is reached only through a dynamic import(), so neither joins the entry's chunk; trtc-sdk-v5 is
// named only in dist/sdk-v5.js (the opt-in `trtc-room/sdk-v5`), so a v4 app's toolchain never meets it.
// package.json's sideEffects lists src/index.ts and src/sdk-v5.ts too: without them, Rollup would drop
// sdk-v5's `import './index.js'` (the tag's definition) as an import of a side-effect-free module.
const external = (id) => /^(lit|@lit|trtc-js-sdk|trtc-sdk-v5)(\/|$)/.test(id);

// The CDN bundle: one self-contained, minified module for a plain `<script type="module" src>` with no
// import map, built from the `trtc-room/sdk-v5` entry so that `sdk="v5"` works there too. Lit is inside it. The element's visit code (src/visit.ts, imported at the first join) is the chunk
// trtc-room-visit-*.js beside it, and every SDK the loader imports lazily becomes its own chunk, named after its
// package, fetched only at the first join that needs it. `sdp` (reached from trtc-sdk-v5 through
// webrtc-adapter 9) is CommonJS behind a `module` field, so esbuild pre-bundles it into an ES module.
const packageName = (id) => id && /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'))?.[1];
const cdnBundle = {
  input: { 'trtc-room': 'src/sdk-v5.ts' },
  // The chunks share modules with the entry (the importer registry): let them import from it, rather than have
  // Rollup move the entry's code into a chunk of its own behind a re-exporting facade (one more fetch).
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist/cdn',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: (chunk) => `${packageName(chunk.facadeModuleId) ?? 'trtc-room-[name]'}-[hash].js`,
  },
  plugins: [
    nodeResolve({ browser: true }),
    esbuild({ target: 'es2021', tsconfig: 'tsconfig.json', optimizeDeps: { include: ['sdp'] } }),
    terser(),
  ],
};

// The networked emulator (Node): dist/emulator/server.js (`trtc-room/emulator`) and dist/emulator/cli.js (the
// `trtc-room-emulator` command). `ws` is bundled in, so the package still depends on lit and the SDK only, and
// `npx trtc-room-emulator` needs nothing else installed. ws is CommonJS: esbuild converts it to an ES module,
// with a real `require` for the Node modules it loads (its optional native add-ons stay optional).
const WS_NOTICE =
  '/*! Includes ws (https://github.com/websockets/ws), MIT License. Copyright (c) 2011 Einar Otto Stangvik, (c) 2013 Arnout Kazemier and contributors, (c) 2016 Luigi Pinca and contributors. */';
// werift (the media server's WebRTC stack, src/emulator/node/media/) is bundled the same way: a devDependency
// here, inside dist/emulator, never a dependency of the package.
const WERIFT_NOTICE =
  '/*! Includes werift (https://github.com/shinyoshiaki/werift-webrtc), MIT License, Copyright (c) 2020 shinyoshiaki, and the packages it bundles: @fidm/x509, @noble/curves, @peculiar/x509, @shinyoshiaki/binary-data, buffer, debug, mediabunny, multicast-dns, tweetnacl (their licences: MIT, MPL-2.0, Unlicense; see each package). */';
const inlineCommonJs = (name, { withDefault = true } = {}) => ({
  name: 'inline-commonjs',
  resolveId: (id) => (id === name ? `\0inline:${name}` : null),
  async load(id) {
    if (id !== `\0inline:${name}`) return null;
    const { outputFiles } = await esbuildBuild({
      stdin: {
        contents: `export * from '${name}';${withDefault ? ` export { default } from '${name}';` : ''}`,
        resolveDir: process.cwd(),
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18',
      write: false,
      external: ['bufferutil', 'utf-8-validate'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    return outputFiles[0].text;
  },
});
const emulatorServer = {
  input: { 'emulator/server': 'src/emulator/node/server.ts', 'emulator/cli': 'src/emulator/node/cli.ts' },
  external: (id) => id.startsWith('node:') || builtinModules.includes(id),
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'emulator/[name]-[hash].js',
    banner: (chunk) =>
      [
        chunk.name === 'emulator/cli' && '#!/usr/bin/env node',
        Object.keys(chunk.modules).includes('\0inline:ws') && WS_NOTICE,
        Object.keys(chunk.modules).includes('\0inline:werift') && WERIFT_NOTICE,
      ]
        .filter(Boolean)
        .join('\n'),
  },
  plugins: [
    inlineCommonJs('ws'),
    inlineCommonJs('werift', { withDefault: false }),
    esbuild({ target: 'node18', tsconfig: 'tsconfig.json' }),
  ],
};

export default [
  {
    input: { index: 'src/index.ts', 'sdk-v5': 'src/sdk-v5.ts', 'testing/index': 'src/testing/index.ts' },
    external,
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
    plugins: [nodeResolve(), esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' })],
  },
  cdnBundle,
  emulatorServer,
];
