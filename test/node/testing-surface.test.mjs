// The public surface of `trtc-room/testing` is the table in docs/emulator.md ("The `trtc-room/testing` surface"),
// as an API report: the module's value exports (at run time) and its type exports (as TypeScript sees them)
// are exactly the names listed there, each of the kind listed. An export added or dropped fails here until
// the docs say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { loadTs } from '../../scripts/load-ts.mjs';

const ENTRY = 'src/testing/index.ts';

/** The docs' table: export name → 'value' or 'type'. */
function documentedSurface() {
  const page = readFileSync(new URL('../../docs/emulator.md', import.meta.url), 'utf8');
  const section = page.split(/^## The `trtc-room\/testing` surface$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'docs/emulator.md has the section "The `trtc-room/testing` surface"');
  const rows = [...section.matchAll(/^\| `([A-Za-z_$][\w$]*)` \| (function|class|constant|type) \|/gm)];
  assert.ok(rows.length > 0, 'the section lists the exports in a table');
  return new Map(rows.map(([, name, kind]) => [name, kind === 'type' ? 'type' : 'value']));
}

/** The module's exports as TypeScript sees them: name → 'value' (has a run-time value) or 'type'. */
function typeScriptSurface() {
  const program = ts.createProgram([ENTRY], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(ENTRY));
  return new Map(
    checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return [symbol.name, target.flags & ts.SymbolFlags.Value ? 'value' : 'type'];
    }),
  );
}

const sorted = (map) => [...map].sort(([a], [b]) => a.localeCompare(b));

test('trtc-room/testing exports exactly the surface docs/emulator.md lists, each as the kind it lists (values and types)', () => {
  assert.deepEqual(sorted(typeScriptSurface()), sorted(documentedSurface()));
});

test("trtc-room/testing's run-time exports are the documented values, and only those", async () => {
  const values = [...documentedSurface()].filter(([, kind]) => kind === 'value').map(([name]) => name);
  assert.deepEqual(Object.keys(await loadTs(ENTRY)).sort(), values.sort());
});
