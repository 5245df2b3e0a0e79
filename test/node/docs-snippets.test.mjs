// docs/frameworks.md's Angular and Svelte snippets are, character for character, the files their browser tests
// run (test/frameworks/angular.test.ts and svelte.test.ts), so a change to either side shows up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const read = (path) => readFileSync(resolve(root, path), 'utf8');

const PAGE = 'docs/frameworks.md';

/** The first fenced block of the given language under a heading of the frameworks page. */
function docsBlock(heading, language) {
  const page = read(PAGE);
  const start = page.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `${PAGE} has the heading ${heading}`);
  const section = page.slice(start + 1).split(/\n#{1,3} /)[0];
  const block = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'm').exec(section);
  assert.ok(block, `${PAGE}'s ${heading} has a ${language} block`);
  return block[1];
}

for (const [heading, language, file] of [
  ['### Angular', 'ts', 'test/frameworks/snippets/call.component.ts'],
  ['### Svelte 5', 'svelte', 'test/frameworks/snippets/Call.svelte'],
]) {
  test(`${PAGE}'s ${heading.replace(/^#+ /, '')} snippet is ${file}`, () => {
    assert.equal(docsBlock(heading, language), read(file));
  });
}
