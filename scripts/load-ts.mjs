// Loads a TypeScript source module into Node (tests, the demo server): `const { RoomService } = await loadTs('src/emulator/core/room-service.ts')`.
// esbuild bundles the entry (and the project files it imports) into one ES module; npm packages stay
// external and are imported from the project's node_modules, as the built package would import them.
// `import.meta.url`, `.dirname` and `.filename` keep naming each source file, not the bundle.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
// Inside node_modules, so the bundle's bare imports (`ws`, …) resolve to the project's packages.
const cacheDir = join(root, 'node_modules/.cache/load-ts');
let bundles = 0;

const sourceImportMeta = {
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const contents = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) =>
        JSON.stringify(
          key === 'url' ? pathToFileURL(args.path).href : key === 'dirname' ? dirname(args.path) : args.path,
        ),
      );
      return { contents, loader: extname(args.path).slice(1).replace(/^[cm]/, '') };
    });
  },
};

/** Bundles `entry` (a path from the project root) for Node and writes it to `outfile`; returns that path. */
export async function bundleTs(
  entry,
  outfile = join(cacheDir, `${basename(entry, '.ts')}-${process.pid}-${++bundles}.mjs`),
) {
  mkdirSync(join(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [resolve(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [sourceImportMeta],
  });
  return outfile;
}

/** Bundles `entry` (a path from the project root) and imports it: resolves to its module namespace. */
export async function loadTs(entry) {
  const file = await bundleTs(entry);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Bundles a page script (TypeScript, importing the project's sources) into one ES module for a browser
 * page, the SDK packages left out unless `bundleSdks`: resolves to its text, for
 * `page.addScriptTag({ content, type: 'module' })`.
 */
export async function bundlePageScript(contents, { bundleSdks = false } = {}) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    external: bundleSdks ? [] : ['trtc-js-sdk', 'trtc-sdk-v5'],
    // package.json's sideEffects names dist/index.js, not the source entry, which registers the tag just the same.
    ignoreAnnotations: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
