import { join as joinPath } from 'node:path';
import pg from 'pg';
import { TABLES } from '../../../src/shared/domain/common';
import type { Db } from '../../../src/core/db/open';
import { grantCase } from '../../../src/core/hub/grant';
import { initHub } from '../../../src/core/hub/init';
import { syncCaseFile, type SyncOptions } from '../../../src/core/hub/sync';
import { Session } from '../../../src/core/session';
import { tempDir } from '../../helpers';
import { rows } from '../exchange/pair';
import type { Cluster } from './pg-cluster';

/** A hub in a fresh database, with a login role (member of casefile_analyst) per analyst. */
export async function team(c: Cluster, names: string[]) {
  const db = await c.createDatabase();
  await initHub(c.url(db));
  const admin = await c.admin(db);
  try {
    for (const n of names) {
      await c.createRole(n, `${n}-secret`);
      await admin.query(`GRANT casefile_analyst TO ${pg.escapeIdentifier(n)}`);
    }
  } finally {
    await admin.end();
  }
  return { db, url: (name: string) => c.url(db, { name, password: `${name}-secret` }) };
}

export type Laptop = { s: Session; file: string; name: string; url: string };

/** An analyst's laptop: their own new case file, open in their own session, syncing as their role. */
export function laptop(dir: string, name: string, url: string): Laptop {
  const s = new Session(joinPath(dir, `config-${name}`), 'browser');
  s.settings.update({ author: `${name} (typed on the laptop)` });
  const file = joinPath(dir, `${name}.casefile`);
  s.create(file, false);
  return { s, file, name, url };
}

export const newDir = () => tempDir();

export const sync = (l: Laptop, opts: SyncOptions = {}) => syncCaseFile(l.s.caseFile, l.url, opts);

/** `by` (the case's creator) grants `l` the case, and `l` joins it with its first sync. */
export async function join(l: Laptop, caseId: string, by: Laptop, access: 'edit' | 'review' = 'edit') {
  await grantCase(by.url, caseId, l.name, access);
  return sync(l, { caseId });
}

/** A few incidents, a source, a citation and its annotation: enough rows to edit, delete and dispute. */
export function seed(l: Laptop) {
  const cf = l.s.caseFile;
  const incidents = [1, 2, 3, 4].map(
    (i) =>
      cf.create('incidents', {
        date: `2024-0${i}-01`,
        date_precision: 'day',
        country: 'Afghanistan',
        location: `Place ${i}`,
        fatalities: i,
        attribution: 'claimed',
      }).id as string,
  );
  const source = cf.create('sources', { key: 'un2024', title: 'UN report', type: 'official_report' }).id as string;
  const citation = cf.create('citations', {
    source_id: source,
    target_table: 'incidents',
    target_id: incidents[0],
    locator_type: 'page',
    locator: '4',
  }).id as string;
  const annotation = cf.create('annotations', { citation_id: citation, status: 'unreviewed', body: 'check the page' })
    .id as string;
  return { incidents, source, citation, annotation };
}

/** Every row of every table (fields only): what two laptops in step hold alike. */
export const state = (l: Laptop) => rows(l.s.caseFile.db);

/** Everything in a case file, change log and meta included: "nothing changed" is checked against it. */
export function everything(db: Db): unknown {
  const out: Record<string, unknown> = {};
  for (const t of [...TABLES, 'attachments', 'change_log', 'meta'])
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  return out;
}
