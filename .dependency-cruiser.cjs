/**
 * `npm run check:cycles`: src/ has no import cycle, type-only imports included (CONVENTIONS.md: a type two
 * files share lives below both). A cycle is reported with every module on it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment:
        'An import cycle, even of types only, says a shared type or constant belongs a level below both modules.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: `import type` and `export type … from` are edges like any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
