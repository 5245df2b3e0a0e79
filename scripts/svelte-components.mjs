// A web-test-runner plugin for the Svelte test: serves `.svelte` files compiled by svelte/compiler to
// ES modules (client output, as a Svelte app's bundler would build them), and resolves Svelte's own
// runtime (`svelte`, `svelte/*` and its `esm-env` flags) with the 'browser' export condition, without
// which `svelte` is the server runtime that cannot mount. Every other import keeps the config's
// nodeResolve conditions.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeResolvePlugin } from '@web/dev-server';

const RUNTIME = /^(svelte|esm-env)(\/|$)/;

export function svelteComponents() {
  let rootDir = process.cwd();
  const browserResolve = nodeResolvePlugin(rootDir, false, {
    exportConditions: ['browser', 'production'],
    browser: true,
  });
  return {
    name: 'svelte-components',
    async serverStart(args) {
      rootDir = args.config.rootDir;
      await browserResolve.serverStart?.(args);
    },
    resolveImport(args) {
      if (RUNTIME.test(args.source)) return browserResolve.resolveImport(args);
    },
    resolveMimeType(context) {
      if (context.path.endsWith('.svelte')) return 'js';
    },
    async serve(context) {
      if (!context.path.endsWith('.svelte')) return undefined;
      const { compile } = await import('svelte/compiler');
      const filename = join(rootDir, decodeURIComponent(context.path));
      const { js } = compile(await readFile(filename, 'utf8'), { filename, generate: 'client' });
      return { body: js.code, type: 'js' };
    },
  };
}
