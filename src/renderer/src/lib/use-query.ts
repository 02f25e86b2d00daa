import { useEffect, useRef, useState } from 'react';
import type { Channel, EventName, Input, Output } from '../../../shared/contract';
import type { TableName } from '../../../shared/domain/common';
import { invoke, subscribe } from './api';

/**
 * Server state for a view: runs a query channel and runs it again whenever a change event names
 * one of the tables it depends on, or another case file is opened. That is how every view and
 * window stays in sync: they all refetch from the same events. `alsoOn`: other events that change
 * the answer without changing a table.
 */
export function useQuery<C extends Channel>(
  channel: C,
  input: Input<C>,
  deps: readonly TableName[],
  alsoOn: readonly EventName[] = [],
) {
  const [data, setData] = useState<Output<C> | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(input);
  const depsKey = deps.join(',');
  const alsoKey = alsoOn.join(',');
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    invoke(channel, JSON.parse(key) as Input<C>)
      .then((v) => {
        if (mine === seq.current) {
          setData(v);
          setError(null);
        }
      })
      .catch((e: Error) => mine === seq.current && setError(e.message));
  }, [channel, key, version]);

  useEffect(() => {
    const tables = depsKey.split(',');
    const a = subscribe('data.changed', (p) => {
      if (p.tables.some((t) => tables.includes(t))) setVersion((v) => v + 1);
    });
    const b = subscribe('file.opened', () => setVersion((v) => v + 1));
    const others = alsoKey
      ? (alsoKey.split(',') as EventName[]).map((e) => subscribe(e, () => setVersion((v) => v + 1)))
      : [];
    return () => {
      a();
      b();
      for (const off of others) off();
    };
  }, [depsKey, alsoKey]);

  return { data, error, refresh: () => setVersion((v) => v + 1) };
}
