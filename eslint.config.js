// ESLint (flat config). `npm run lint` runs it with `prettier --check`, lit-analyzer and the cycle check.
// TypeScript: typescript-eslint's type-aware recommended set, on the one program of tsconfig.json. The rules turned
// off or tuned below say why in a line; everything else in the recommended sets is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

const unused = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.artifacts/', 'bench/runs/', 'custom-elements.json'] },
  js.configs.recommended,
  {
    rules: {
      // Log text and terminal output are stripped of control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Node scripts and suites; their page.evaluate() callbacks run in the browser, hence its globals too.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks an argument or binding kept for its position, as tsc's noUnusedParameters allows.
      'no-unused-vars': ['error', unused],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unused],
      // The `any`s left are JSON.parse results and the SDKs' own untyped payloads, narrowed by hand where read:
      // these rules would flag every such read.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // An async method mirrors a promise-returning SDK method: a throw in it must become a rejection.
      '@typescript-eslint/require-await': 'off',
      // `String(unknown)` on wire frames and errors is deliberate (it is how the SDKs coerce them).
      '@typescript-eslint/no-base-to-string': 'off',
      // Flags existence checks of optional SDK methods (`if (!trtc.startLocalVideo)`); nothing calls a detached method.
      '@typescript-eslint/unbound-method': 'off',
      // `declare module 'react' { namespace JSX }` is how the JSX types are augmented.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowArray: true, allowNumber: true }],
      // The `!` on index reads are written as for noUncheckedIndexedAccess (not on yet); the rule would strip them.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // SDK event payloads are `any` in the SDKs' own declarations; the adapters and doubles pass them on as such.
    files: ['src/sdk/**/*.ts', 'src/emulator/page/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The doubles throw and reject with what the SDKs do and what a test injects, not only Error objects.
    files: ['src/emulator/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    // The typed addEventListener overloads are an interface merged into the element's class.
    files: ['src/trtc-room.ts'],
    rules: { '@typescript-eslint/no-unsafe-declaration-merging': 'off' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      // Chai's property assertions (`expect(x).to.exist`) are expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
      // @open-wc/semantic-dom-diff types every chai `equal` as a promise (for `.dom.equal`); the others are sync.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: 'Equal', package: '@open-wc/semantic-dom-diff' }] },
      ],
    },
  },
  {
    // The real SDKs' globals on the pages of test/node/support/real-sdk-page.mjs, read in page.evaluate().
    files: ['test/node/**/*.mjs'],
    languageOptions: { globals: { TRTCv4: 'readonly', TRTCv5: 'readonly' } },
  },
  {
    files: ['src/emulator/node/**/*.ts', 'demo/server.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/best-practice']],
  },
);
