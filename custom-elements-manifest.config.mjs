// `npm run manifest`: custom-elements.json for editors, linters and documentation tools, from the
// element's JSDoc (@fires, @attr, @slot) and its Lit `static properties` (`cem analyze --litelement`).
// test/node/manifest.test.mjs fails when the committed file is not what this produces.
import { posix } from 'node:path';

/** Describes the published package: dist/ paths, no private members, no type-only exports. */
function publishedShape() {
  const typeOnly = new Map(); // module path → names exported with `export type { … }`
  const toDist = (path) => path.replace(/^\/?src\//, 'dist/').replace(/\.ts$/, '.js');
  return {
    name: 'trtc-room-published-shape',
    analyzePhase({ ts, node, moduleDoc }) {
      if (
        ts.isExportDeclaration(node) &&
        node.isTypeOnly &&
        node.exportClause &&
        ts.isNamedExports(node.exportClause)
      ) {
        const names = typeOnly.get(moduleDoc.path) ?? new Set();
        for (const element of node.exportClause.elements) names.add(element.name.text);
        typeOnly.set(moduleDoc.path, names);
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const types = typeOnly.get(module.path) ?? new Set();
        module.exports = module.exports?.filter((entry) => !types.has(entry.name));
        for (const entry of module.exports ?? []) {
          const from = entry.declaration?.module;
          // A module path relative to the package, as the schema has it (the analyzer keeps re-exports' specifiers).
          if (from)
            entry.declaration.module = toDist(
              from.startsWith('.') ? posix.join(posix.dirname(module.path), from) : from,
            );
        }
        module.path = toDist(module.path);
        for (const declaration of module.declarations ?? []) {
          declaration.members = declaration.members?.filter((member) => member.privacy !== 'private');
        }
      }
    },
  };
}

export default {
  globs: ['src/index.ts', 'src/trtc-room.ts'],
  litelement: true,
  // package.json names the manifest itself (`customElements`); the analyzer must not rewrite it.
  packagejson: false,
  outdir: '.',
  plugins: [publishedShape()],
};
