import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

import { boundariesPlugin } from './scripts/eslint-boundaries.mjs';

/**
 * Process boundaries are lint errors (house style): the renderer imports only src/shared and its
 * own files; better-sqlite3 only in the core; electron only in src/main and src/preload; src/shared
 * runs everywhere, so it has neither Node nor the DOM. The rule takes its policy from each file's
 * path (scripts/eslint-boundaries.mjs), so no block below can override it for some files;
 * tests/unit/core/lint-boundaries.test.ts plants forbidden imports and expects lint to fail.
 */
// DOM globals (those a browser has and Node lacks) are not for src/shared.
const domOnly = Object.keys(globals.browser).filter((k) => !(k in globals.node) && !(k in globals.es2021));

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'test-results/**',
      'resources/**',
      'bench/.data/**',
      '.cache/**',
      'build/**',
      'dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Playwright evaluates these callbacks in the page.
    files: ['tests/e2e/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...domOnly.map((name) => ({ name, message: 'src/shared runs in every process: no DOM' })),
      ],
    },
  },
  { files: ['src/**/*.{ts,tsx}'], plugins: { casefile: boundariesPlugin }, rules: { 'casefile/boundaries': 'error' } },
  {
    // Rules that read the types: a promise nobody awaits or catches is an error nobody sees (and,
    // in the core, an unhandled rejection); a type-only import says so, and the bundle drops it.
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() returns a promise that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: true },
      ],
    },
  },
);
