import type { Channel, Envelope, EventName, EventPayload, Input, Output } from './contract';

/**
 * What the Electron preload exposes as `window.casefile`. The renderer's client uses it when it
 * is there and falls back to the browser mode's WebSocket when it is not; both speak the same
 * contract, so the type is written once, here.
 */
export type CasefileBridge = {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Envelope<Output<C>>>;
  /** Returns the function that unsubscribes. */
  subscribe<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
};

/** The two Electron IPC channel names: one for every call, one for every event. */
export const IPC_INVOKE = 'casefile:invoke';
export const IPC_EVENT = 'casefile:event';
