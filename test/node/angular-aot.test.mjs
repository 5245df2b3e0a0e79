// docs/frameworks.md's Angular snippet (test/frameworks/snippets/call.component.ts, kept identical to that page by
// docs-snippets.test.mjs) compiled ahead of time by Angular's own compiler, `ngc`, with strictTemplates: it
// compiles, and the same component without CUSTOM_ELEMENTS_SCHEMA does not. The browser test
// (test/frameworks/angular.test.ts) runs it just in time; this proves what an `ng build` of it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const snippet = readFileSync(join(root, 'test/frameworks/snippets/call.component.ts'), 'utf8');

/** Writes `source` as the only component of a fresh strict Angular project and runs ngc on it. */
async function compile(source) {
  // Inside the project (in the git-ignored .artifacts/), so that @angular/core resolves from its node_modules.
  mkdirSync(join(root, '.artifacts'), { recursive: true });
  const dir = mkdtempSync(join(root, '.artifacts/ngc-'));
  try {
    writeFileSync(join(dir, 'call.component.ts'), source);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ES2022',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true,
        skipLibCheck: true,
        outDir: 'out',
        rootDir: root,
        // `trtc-room` is this package's source, with the module declarations of its lazily imported SDK files.
        paths: { 'trtc-room': [join(root, 'src/index.ts')] },
      },
      files: ['call.component.ts', join(root, 'src/sdk/modules.d.ts')],
      angularCompilerOptions: { strictTemplates: true, strictInjectionParameters: true },
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const result = await new Promise((done) =>
      execFile(join(root, 'node_modules/.bin/ngc'), ['-p', 'tsconfig.json'], { cwd: dir }, (error, stdout, stderr) =>
        // ngc colours its diagnostics even when not on a terminal: strip the colour codes.
        done({ code: error ? (error.code ?? 1) : 0, output: `${stdout}${stderr}`.replace(/\x1b\[[0-9;]*m/g, '') }),
      ),
    );
    let compiled = '';
    try {
      compiled = readFileSync(join(dir, 'out', relative(root, dir), 'call.component.js'), 'utf8');
    } catch {
      // no output: the compile failed
    }
    return { ...result, compiled };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the documented Angular snippet compiles ahead of time with strictTemplates (ngc)', async () => {
  const { code, output, compiled } = await compile(snippet);
  assert.equal(code, 0, output);
  assert.match(compiled, /ɵɵdefineComponent/, 'ngc compiled the component');
  assert.match(compiled, /Property\(.*\("sdk", ctx\.sdk\)/, 'the [sdk] binding sets the property');
  assert.match(compiled, /Listener\("banned"/, 'the (banned) binding adds a listener');
});

test('without CUSTOM_ELEMENTS_SCHEMA the same snippet is refused: the schema is what lets Angular bind to <trtc-room>', async () => {
  const withoutSchema = snippet.replace(/^\s*schemas: \[CUSTOM_ELEMENTS_SCHEMA\],\n/m, '');
  assert.notEqual(withoutSchema, snippet, 'the schema line was removed');
  const { code, output } = await compile(withoutSchema);
  assert.notEqual(code, 0);
  assert.match(output, /NG8001: 'trtc-room' is not a known element/);
  assert.match(output, /NG8002: Can't bind to 'sdk'/);
});
