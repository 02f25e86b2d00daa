import { afterAll, beforeAll } from 'vitest';
import { skipReason, startCluster, type Cluster } from './pg-cluster';

/** Why a hub test file skips here (no PostgreSQL), or null; its describe names the reason. */
export const noPostgres = skipReason();
if (noPostgres) console.warn(`hub tests skipped: ${noPostgres}`);
export const titled = (title: string) => (noPostgres ? `${title} (skipped: ${noPostgres})` : title);

/** One throwaway cluster for the test file (started before its tests, stopped after). */
export function useCluster(): () => Cluster {
  let cluster: Cluster | null = null;
  beforeAll(async () => {
    if (!noPostgres) cluster = await startCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());
  return () => {
    if (!cluster) throw new Error('the cluster did not start');
    return cluster;
  };
}
