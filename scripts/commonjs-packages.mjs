// A web-test-runner plugin that serves packages published only as CommonJS (React 19 ships no ES
// modules) to the browser tests as ES modules. All of them are built by esbuild into one module, so
// react-dom and react share one React; each specifier is a small module re-exporting its part of it.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const BUNDLE = '/__commonjs__/bundle.js';
const urlOf = (specifier) => `/__commonjs__/${specifier}.js`;

/** A CommonJS package's export names, read in a child process (React writes to the console as it loads). */
function exportNames(specifier) {
  const script = `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(specifier)}))))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

/** @param {string[]} specifiers e.g. ['react', 'react-dom/client'] */
export function commonjsPackages(specifiers) {
  let bundle;
  return {
    name: 'commonjs-packages',
    resolveImport({ source }) {
      if (specifiers.includes(source)) return urlOf(source);
    },
    async serve(context) {
      if (context.path === BUNDLE) {
        bundle ??= build({
          stdin: {
            contents: specifiers
              .map((specifier, i) => `export const m${i} = require(${JSON.stringify(specifier)});`)
              .join('\n'),
            resolveDir: process.cwd(),
          },
          bundle: true,
          format: 'esm',
          write: false,
          // The development builds: React's StrictMode double-invokes effects only there.
          define: { 'process.env.NODE_ENV': '"development"' },
          logLevel: 'silent',
        }).then((result) => result.outputFiles[0].text);
        return { body: await bundle, type: 'js' };
      }
      const index = specifiers.findIndex((specifier) => context.path === urlOf(specifier));
      if (index === -1) return undefined;
      const names = exportNames(specifiers[index]).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default',
      );
      const body = [
        `import { m${index} as m } from '${BUNDLE}';`,
        'export default m;',
        ...names.map((name) => `export const ${name} = m.${name};`),
      ].join('\n');
      return { body, type: 'js' };
    },
  };
}
