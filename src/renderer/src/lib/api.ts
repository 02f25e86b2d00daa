import type { Channel, Envelope, EventName, EventPayload, Input, Output } from '../../../shared/contract';
import type { CasefileBridge } from '../../../shared/bridge';

/**
 * The renderer's one way to the core. In Electron the preload's bridge carries calls over IPC;
 * in browser mode a WebSocket to the loopback server does, with the token from the URL fragment.
 * Everything above this file is the same in both modes.
 */
type Transport = {
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
};

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function wsTransport(): Transport {
  const token =
    new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('casefile-token') ?? '';
  // Keep the token for reloads but take it out of the address bar.
  if (token) {
    sessionStorage.setItem('casefile-token', token);
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  }
  // This tab's name for its undo steps, kept across reloads and reconnects (the server gives a new
  // one if another open tab holds it: a duplicated tab copies sessionStorage).
  let windowName = sessionStorage.getItem('casefile-window');
  if (!windowName) {
    windowName = crypto.randomUUID();
    sessionStorage.setItem('casefile-window', windowName);
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}&window=${encodeURIComponent(windowName)}`;
  // Why a connection failed decides what to tell the analyst: a reload never fixes a missing or stale token.
  let everOpened = false;
  const problem = (): ConnectionProblem => (!token ? 'no-token' : everOpened ? 'lost' : 'refused');
  let nextId = 1;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        everOpened = true;
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () =>
        reject(new ApiError('internal', 'Cannot reach the Casefile server (is it running, and is the link complete?)'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [, cb] of pending)
          cb({ ok: false, error: { code: 'internal', message: 'Connection to the Casefile server lost' } });
        pending.clear();
        listeners.get('connection.lost')?.forEach((l) => l(problem()));
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as {
          id?: number;
          envelope?: Envelope<unknown>;
          event?: string;
          payload?: unknown;
        };
        if (msg.event) listeners.get(msg.event)?.forEach((l) => l(msg.payload));
        else if (typeof msg.id === 'number' && msg.envelope) {
          pending.get(msg.id)?.(msg.envelope);
          pending.delete(msg.id);
        }
      };
    });
    return ready;
  };

  return {
    async invoke(channel, input) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    subscribe(event, cb) {
      void connect().catch(() => undefined);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
  };
}

declare global {
  interface Window {
    casefile?: CasefileBridge;
  }
}

const transport: Transport = window.casefile ?? wsTransport();
export const mode: 'electron' | 'browser' = window.casefile ? 'electron' : 'browser';

/** Calls a contract channel; resolves with its value or throws an ApiError with the core's message. */
export async function invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
  const env = await transport.invoke(channel, input);
  if (!env.ok) throw new ApiError(env.error.code, env.error.message, env.error.field);
  return env.value as Output<C>;
}

export function subscribe<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
  return transport.subscribe(event, cb as (p: unknown) => void);
}

/**
 * Browser mode's connection failed: `no-token` (the address lacks the token the server printed),
 * `refused` (a token from an earlier run: it changes each time), `lost` (the server went away).
 */
export type ConnectionProblem = 'no-token' | 'refused' | 'lost';

export function onConnectionLost(cb: (problem: ConnectionProblem) => void): () => void {
  return transport.subscribe('connection.lost', (p) => cb((p as ConnectionProblem | null) ?? 'lost'));
}
