import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README promises that lint enforces the process boundaries. Each case plants one forbidden
// import in a file of one process and expects the project's own lint config to refuse it; the
// allowed imports beside them must pass, so the rule is not simply refusing everything.
const root = join(import.meta.dirname, '..', '..', '..');
// The planted files do not exist, so no TypeScript project holds them: the rules that read types
// are off here (they have tests of their own in typescript-eslint); the boundary rule reads paths.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
});

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const forbidden: [string, string][] = [
  ['src/renderer/src/features/grid/Planted.tsx', "import { readFileSync } from 'node:fs';"],
  ['src/renderer/src/features/grid/Planted.tsx', "import { readFileSync } from 'fs';"],
  ['src/renderer/src/lib/planted.ts', "import { newId } from '../../../core/ids';"],
  ['src/renderer/src/lib/planted.ts', "import { now } from '../../../core/hlc';"],
  ['src/renderer/src/lib/planted.ts', "import Database from 'better-sqlite3';"],
  ['src/renderer/src/lib/planted.ts', "import { ipcRenderer } from 'electron';"],
  ['src/renderer/src/lib/planted.ts', "export { startServer } from '../../../server/web-server';"],
  ['src/renderer/src/lib/planted.ts', "const m = await import('../../../main/window');"],
  ['src/server/planted.ts', "import { app } from 'electron';"],
  ['src/server/planted.ts', "import Database from 'better-sqlite3';"],
  ['src/cli/planted.ts', "import { dialog } from 'electron';"],
  ['src/cli/commands/planted.ts', "import { startServer } from '../../server/web-server';"],
  ['src/core/planted.ts', "import { BrowserWindow } from 'electron';"],
  ['src/core/grid/planted.ts', "import { App } from '../../renderer/src/App';"],
  ['src/core/planted.ts', "import { main } from '../cli/main';"],
  ['src/main/planted.ts', "import Database from 'better-sqlite3';"],
  ['src/preload/planted.ts', "import { readFileSync } from 'node:fs';"],
  ['src/preload/planted.ts', "import { openCaseFile } from '../core/db/open';"],
  ['src/shared/domain/planted.ts', "import { join } from 'node:path';"],
  ['src/shared/domain/planted.ts', "import { newId } from '../../core/ids';"],
  ['src/shared/domain/planted.ts', "import { ipcRenderer } from 'electron';"],
  ['src/shared/domain/planted.ts', 'export const width = () => document.body.clientWidth;'],
  ['src/shared/domain/planted.ts', 'export const here = () => window.location.href;'],
  ['src/core/dashboard/planted.ts', "import { SUMMARIES } from '../db/migrations/004-dashboard-summaries';"],
  ['src/core/planted.ts', "import { migration005 } from './db/migrations/005-search-folding.ts';"],
  ['src/core/db/planted.ts', "import { ensureSummaries } from '../dashboard/summaries';"],
  ['src/core/db/planted.ts', "import { CaseFile } from '../write/case-file';"],
  ['src/core/db/migrations/planted.ts', "import { SUMMARY_DEFS } from '../../dashboard/summary-defs';"],
];

const allowed: [string, string][] = [
  [
    'src/renderer/src/lib/planted.ts',
    "import { EVENT_NAMES } from '../../../shared/contract';\nexport const n = EVENT_NAMES;",
  ],
  ['src/shared/planted.ts', "import { EVENT_NAMES } from './contract';\nexport const n = EVENT_NAMES;"],
  ['src/shared/channels/planted.ts', "import { FIELD_DEFS } from '../domain/fields';\nexport const f = FIELD_DEFS;"],
  [
    'src/core/planted.ts',
    "import Database from 'better-sqlite3';\nimport { join } from 'node:path';\nexport const x = [Database, join];",
  ],
  [
    'src/main/planted.ts',
    "import { app } from 'electron';\nimport { openSession } from '../core/session';\nexport const x = [app, openSession];",
  ],
  [
    'src/preload/planted.ts',
    "import { contextBridge } from 'electron';\nimport { EVENT_NAMES } from '../shared/contract';\nexport const x = [contextBridge, EVENT_NAMES];",
  ],
  ['src/cli/planted.ts', "import { openCaseFile } from '../core/db/open';\nexport const x = openCaseFile;"],
  ['src/core/planted.ts', "import { MIGRATIONS } from './db/migrations';\nexport const x = MIGRATIONS;"],
  [
    'src/core/db/planted.ts',
    "import { refuse } from '../errors';\nimport { stmt } from './statements';\nimport { FIELDS } from '../../shared/domain/fields';\nexport const x = [refuse, stmt, FIELDS];",
  ],
  [
    'src/core/db/migrations/planted.ts',
    "import { migration001 } from './001-initial';\nexport const x = migration001;",
  ],
];

describe('lint enforces the process boundaries', () => {
  it.each(forbidden)('refuses in %s: %s', async (file, code) => {
    const found = await errors(file, code);
    expect(found.some((m) => /casefile\/boundaries|no-restricted-(imports|globals)/.test(m))).toBe(true);
  });

  it.each(allowed)('allows in %s: %s', async (file, code) => {
    expect((await errors(file, code)).filter((m) => /casefile\/boundaries|no-restricted/.test(m))).toEqual([]);
  });
});
