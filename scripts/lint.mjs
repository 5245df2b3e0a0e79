// `npm run lint`: ESLint (eslint.config.js), Prettier's check (printWidth 120, .prettierrc.json), lit-analyzer on the
// Lit templates, and the import-cycle check. Each tool's output is shown only when it fails; one line per tool
// otherwise. Exits 1 if any failed. `npm test` runs it alongside the browser suites (scripts/test.mjs).
import { spawn } from 'node:child_process';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

export const LINT_STEPS = [
  { name: 'eslint', command: bin('eslint'), args: ['--max-warnings', '0', '.'] },
  { name: 'prettier', command: bin('prettier'), args: ['--check', '--log-level', 'warn', '.'] },
  {
    name: 'lit-analyzer',
    command: bin('lit-analyzer'),
    args: ['--strict', '--maxWarnings', '0', 'src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts'],
  },
  // Import cycles in src/, type-only included (.dependency-cruiser.cjs; the script is package.json's check:cycles).
  { name: 'cycles', command: 'npm', args: ['run', '--silent', 'check:cycles'] },
];

function runStep({ command, args }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs every step (two at a time: this is meant for a 2-core machine) and returns the number that failed. */
export async function lint(log = console.log) {
  const queue = [...LINT_STEPS];
  let failures = 0;
  const worker = async () => {
    for (let step = queue.shift(); step; step = queue.shift()) {
      const started = Date.now();
      const { code, output } = await runStep(step);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      if (code === 0) {
        log(`lint: ${step.name} ok (${seconds} s)`);
      } else {
        failures += 1;
        log(`lint: ${step.name} FAILED (exit ${code}, ${seconds} s):\n${output.trimEnd()}\n`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return failures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await lint()) > 0 ? 1 : 0;
}
