import type { RawData } from 'ws';
import { dispatch, type Handlers } from '../core/handlers/index';

const refuse = (message: string): string =>
  JSON.stringify({ id: null, envelope: { ok: false, error: { code: 'validation', message } } });

/**
 * One WebSocket message in, one reply out (a JSON string), whatever the message holds: not JSON,
 * JSON that is not an object (`null`, `[]`, `1`), an unknown channel, or a handler that throws.
 * It never rejects, so the connection and the process outlive any message. `window`: the
 * connection's window name, under which the call runs (its undo steps are its own).
 */
export async function answer(handlers: Handlers, data: RawData, window?: string): Promise<string> {
  let msg: unknown;
  try {
    msg = JSON.parse(rawText(data));
  } catch {
    return refuse('message is not JSON');
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return refuse('message is not an object {id, channel, input}');
  }
  const { id: rawId, channel, input } = msg as { id?: unknown; channel?: unknown; input?: unknown };
  const id = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
  try {
    return JSON.stringify({ id, envelope: await dispatch(handlers, channel, input, window) });
  } catch (e) {
    // dispatch answers every handler error itself; this is what is left (a result JSON cannot hold).
    console.error('[casefile] message failed:', e);
    return JSON.stringify({ id, envelope: { ok: false, error: { code: 'internal', message: 'the request failed' } } });
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
