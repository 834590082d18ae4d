// ESLint (flat config) for the web app: typescript-eslint's recommended rules and the rules of hooks
// for Preact's hooks. Formatting is Prettier's job (`npm run format`). Import cycles are caught by
// test/import_cycles.test.ts (import-x/no-cycle skips `import type`, which is how ours went unseen).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/api/schema.d.ts', 'test-results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // `_name` marks a parameter or binding that is deliberately unused (tsc's noUnused* agrees).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The app: browser code with Preact hooks (`preact/hooks` names them use*, like React's).
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    // Only the two classic hook rules: v7's preset adds React Compiler rules, and Preact has no compiler.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // An error, not the preset's warning: a warning nobody has to fix piles up.
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'vite.config.ts', 'e2e/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['sw/**/*.js'],
    // __PRECACHE__ is replaced by the list of built files when vite writes dist/sw.js.
    languageOptions: { globals: { ...globals.serviceworker, __PRECACHE__: 'readonly' } },
  },
);
