import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/core/db/migrations';

// A shipped migration is never edited: files already migrated by it would differ from files
// migrated later, and the open path's schema check would refuse one of them. Each migration's SQL
// is pinned here by its SHA-256. A change that fails this test belongs in a new migration.
// Adding a migration means adding its hash here, once, when it ships.
const PINNED: Record<number, string> = {
  1: '3c53cd2966010d59c9c560072b4b48a8b2442719736e33337fe50adce3e5dff2',
  2: '8168a96941f611d93e0673c4ba89611209f1b9c07d402f1029d80b5d45eda620',
  3: '4406688af2381367b7322099fe89c5006fd9e50fd75bad094b506decc43f18ea',
  4: 'dd74ac102b66d184b7dee436eceb6460624d8ba86656764a35135065c36af1ad',
  5: '36c94bdb96039de93a6a5671e2eaf97217d64f38215ddd3a7ab6f0d45b531310',
  6: '84a4ba633a90e99470275f61053b282a1eaf53dcce3dbaac7373d9db4922316a',
  7: '40448989409ca0e95ab1ecb0c683596fdece5758ce3fd1819f9a41b8733da1b1',
  8: 'ff5d0dbff6807c1dd2c882e60c57b5a44a743ceeb13515165e89a431b0cab612',
  9: '2c554d2829946ecb22176435935caa16d96504262c30a9ab9b5453dd2cb34a8e',
};

describe('shipped migrations are frozen', () => {
  it('pins every migration', () => {
    expect(Object.keys(PINNED).map(Number)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it.each(MIGRATIONS.map((sql, i) => [i + 1, sql] as const))('migration %i has its shipped SQL', (version, sql) => {
    expect(
      createHash('sha256').update(sql).digest('hex'),
      `migration ${version} was edited: write a new migration instead`,
    ).toBe(PINNED[version]);
  });
});
