import { join as joinPath } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/main';
import { HUB_SCHEMA_VERSION } from '../../../src/core/hub/migrations';
import { noPostgres, titled, useCluster } from './use-cluster';
import { newDir } from './team';

async function cli(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await run(args, (s) => out.push(s));
  return { code, out };
}

describe.skipIf(noPostgres)(titled('casefile hub init | sync | grant'), { timeout: 180_000 }, () => {
  const cluster = useCluster();

  it('IT inits the hub; an analyst syncs a file into a new case, grants it, a colleague joins; a conflict exits non-zero until --prefer', async () => {
    const c = cluster();
    const db = await c.createDatabase();
    expect((await cli('hub', 'init', c.url(db))).out[0]).toMatch(
      new RegExp(`^hub [0-9a-f-]{36}: schema version 0 -> ${HUB_SCHEMA_VERSION}$`),
    );
    const admin = await c.admin(db);
    for (const n of ['alice', 'bob']) {
      await c.createRole(n, `${n}-pw`);
      await admin.query(`GRANT casefile_analyst TO ${pg.escapeIdentifier(n)}`);
    }
    await admin.end();
    const url = (n: string) => c.url(db, { name: n, password: `${n}-pw` });
    const dir = newDir();
    const [fa, fb] = [joinPath(dir, 'a.casefile'), joinPath(dir, 'b.casefile')];
    expect((await cli('new', fa, '--demo')).code).toBe(0);
    expect((await cli('new', fb)).code).toBe(0);

    const first = await cli('hub', 'sync', fa, url('alice'), '--json');
    expect(first.code).toBe(0);
    const r = JSON.parse(first.out[0]!);
    expect(r).toMatchObject({ created: true, role: 'alice', access: 'edit', pulled: null, conflicts: null });
    expect(r.pushed.rows).toBeGreaterThan(50);

    expect(await cli('hub', 'sync', fb, url('bob'), '--case', r.caseId)).toMatchObject({ code: 1 });
    expect(await cli('hub', 'grant', url('alice'), r.caseId, 'bob', 'edit')).toEqual({
      code: 0,
      out: [`bob may now edit case ${r.caseId}`],
    });
    const joined = await cli('hub', 'sync', fb, url('bob'), '--case', r.caseId);
    expect(joined.code).toBe(0);
    expect(joined.out[0]).toBe(`hub case ${r.caseId} (as bob, edit)`);
    expect(joined.out.some((l) => /^pulled:\s+incidents: \d+ added/.test(l))).toBe(true);

    // The same field changed on both laptops (straight through the CLI's own files).
    const set = async (file: string, value: string) => {
      const Database = (await import('better-sqlite3')).default;
      const { CaseFile } = await import('../../../src/core/write/case-file');
      const d = new Database(file);
      const cf = new CaseFile(d, file, () => 'someone', 'abcabcabcabc');
      const id = d.prepare('SELECT id FROM incidents ORDER BY id LIMIT 1').pluck().get() as string;
      cf.update('incidents', id, { description: value });
      d.close();
    };
    await set(fa, 'alice: eleven killed');
    await set(fb, 'bob: twelve killed');
    expect((await cli('hub', 'sync', fa, url('alice'))).code).toBe(0);
    const conflicted = await cli('hub', 'sync', fb, url('bob'));
    expect(conflicted.code).toBe(1);
    expect(conflicted.out.some((l) => /^pulled: 1 row in conflict \(not applied\)$/.test(l))).toBe(true);
    const settled = await cli('hub', 'sync', fb, url('bob'), '--prefer', 'theirs');
    expect(settled.code).toBe(0);
    expect(settled.out.at(-1)).toMatch(
      /^pushed: \d+ rows written, 0 deleted, \d+ history entries \(hub position \d+\)$/,
    );
  });

  it('says what is wrong with a command, a hub address or a database that is not a hub, in one line', async () => {
    const c = cluster();
    const db = await c.createDatabase();
    const dir = newDir();
    const f = joinPath(dir, 'x.casefile');
    await cli('new', f);
    expect((await cli('hub')).code).toBe(1);
    expect((await cli('hub', 'frobnicate')).code).toBe(1);
    expect((await cli('hub', 'sync', f, 'hub.example.org')).code).toBe(1);
    expect((await cli('hub', 'sync', f, c.url(db))).code).toBe(1);
    expect((await cli('hub', 'grant', c.url(db), 'not-a-case', 'bob', 'edit')).code).toBe(1);
  });
});
