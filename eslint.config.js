import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Process boundaries are lint errors (house style): the renderer imports only src/shared and its
 * own files; better-sqlite3 only in the core; electron only in src/main and src/preload.
 */
const noElectron = { name: 'electron', message: 'electron is imported only in src/main and src/preload' };
const noSqlite = { name: 'better-sqlite3', message: 'better-sqlite3 is imported only in the core (src/core)' };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'resources/**', 'bench/.data/**', '.cache/**', 'build/**', 'dist/**'] },
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
      'no-restricted-imports': ['error', {
        paths: [noElectron, noSqlite],
        patterns: [
          { group: ['node:*'], message: 'the renderer has no Node: talk to the core through lib/api' },
          { group: ['**/core/**', '**/main/**', '**/server/**', '**/preload/**'], message: 'the renderer imports only src/shared and its own files' },
        ],
      }],
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
      'no-restricted-imports': ['error', {
        paths: [noElectron, noSqlite],
        patterns: [
          { group: ['node:*'], message: 'src/shared runs in every process: no Node modules' },
          { group: ['**/core/**', '**/main/**', '**/server/**', '**/renderer/**'], message: 'src/shared imports nothing outside itself' },
        ],
      }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noSqlite, ...[]] }] },
  },
);
