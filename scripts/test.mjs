// `npm test`: type-check, the browser suites (web-test-runner in Chromium), then the Node suites,
// ending with one line that adds up every test run: "tests: N passed, N failed".
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
let passed = 0;
let failed = 0;
let exitCode = 0;

const typecheck = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
if (typecheck.code !== 0) {
  console.error('Type-check failed.');
  exitCode = 1;
}

const browser = await run(bin('web-test-runner'), process.argv.slice(2));
const counts = [...browser.output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
if (counts) {
  passed += Number(counts[1]);
  failed += Number(counts[2]);
}
if (browser.code !== 0) exitCode = 1;

const nodeTests = readdirSync('test/node')
  .filter((file) => file.endsWith('.test.mjs'))
  .map((file) => `test/node/${file}`);
if (nodeTests.length && process.argv.length <= 2) {
  const node = await run(process.execPath, ['--test', '--test-reporter=tap', ...nodeTests]);
  passed += Number(/^# pass (\d+)/m.exec(node.output)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(node.output)?.[1] ?? 0);
  if (node.code !== 0) exitCode = 1;
}

console.log(`\ntests: ${passed} passed, ${failed} failed`);
if (failed > 0 || passed === 0) exitCode = 1;
process.exit(exitCode);
