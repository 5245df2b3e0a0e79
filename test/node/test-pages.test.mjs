// Every browser test page fails on an unhandled promise rejection or an uncaught error: each browser
// test file must reach test/support/guard.ts through its imports (directly, or via a support module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const guard = join(root, 'test/support/guard.ts');
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

function browserTestFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node' ? [] : browserTestFiles(path);
    return /\.(test|fuzz)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The project file an import specifier names (`./x.js` is the source `./x.ts` or `./x.tsx`). */
function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  return [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`].find((path) =>
    existsSync(path),
  );
}

function reachesGuard(file, seen = new Set()) {
  if (file === guard) return true;
  if (seen.has(file) || !file.startsWith(join(root, 'test'))) return false;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(IMPORT)].some(([statement, specifier]) => {
    if (/^\s*(import|export)\s+type\s/.test(statement)) return false; // erased at compile time
    const target = resolveImport(file, specifier);
    return target !== undefined && reachesGuard(target, seen);
  });
}

test('every browser test file imports the unhandled-rejection / uncaught-error guard', () => {
  const files = browserTestFiles(join(root, 'test'));
  assert.ok(files.length > 5, 'found the browser test files');
  const unguarded = files.filter((file) => !reachesGuard(file)).map((file) => relative(root, file));
  assert.deepEqual(
    unguarded,
    [],
    'these test files do not import test/support/guard.ts (directly or through a support module)',
  );
});
