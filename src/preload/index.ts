import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_NAMES, isChannel, type Envelope, type EventName } from '../shared/contract';
import { IPC_EVENT, IPC_INVOKE, type CasefileBridge } from '../shared/bridge';

/*
 * The whole surface the page gets: invoke and subscribe, for contract names only. The page never
 * sees ipcRenderer; the main process checks the sender and parses every input again anyway.
 * This runs sandboxed, so it is bundled to one CommonJS file (zod included).
 */
const eventNames = new Set<string>(EVENT_NAMES);
const listeners = new Map<EventName, Set<(payload: never) => void>>();

// One IPC listener for all subscriptions, so subscribing and unsubscribing never leak listeners.
ipcRenderer.on(IPC_EVENT, (_event, name: unknown, payload: unknown) => {
  const set = typeof name === 'string' ? listeners.get(name as EventName) : undefined;
  for (const cb of set ?? []) {
    try {
      (cb as (p: unknown) => void)(payload);
    } catch (e) {
      console.error(`[casefile] a ${String(name)} listener failed`, e);
    }
  }
});

const refused = (message: string): Envelope<never> => ({ ok: false, error: { code: 'validation', message } });

const bridge: CasefileBridge = {
  invoke(channel, input) {
    if (!isChannel(channel))
      return Promise.resolve(refused(`unknown channel ${JSON.stringify(String(channel).slice(0, 64))}`));
    return ipcRenderer.invoke(IPC_INVOKE, channel, input);
  },
  subscribe(event, cb) {
    if (typeof cb !== 'function') throw new TypeError('subscribe needs a callback');
    // Not a contract event (e.g. the browser mode's own "connection.lost"): it never comes over IPC.
    if (!eventNames.has(event)) return () => undefined;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(cb as (payload: never) => void);
    return () => void set.delete(cb as (payload: never) => void);
  },
};

contextBridge.exposeInMainWorld('casefile', bridge);
