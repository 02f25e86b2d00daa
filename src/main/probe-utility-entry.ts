/*
 * The received-file check in a utility process (utility-child.ts). The probe is written for a
 * forked child (process.send and process's 'message' event); a utility process talks through
 * process.parentPort instead, so this maps one onto the other and then runs the probe unchanged.
 */
type ParentPort = { on(event: 'message', cb: (e: { data: unknown }) => void): void; postMessage(m: unknown): void };
const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('exchange-probe-utility.js runs only in an Electron utility process');

port.on('message', (e) => process.emit('message', e.data, undefined));
process.send = ((message: unknown, ...rest: unknown[]) => {
  port.postMessage(message);
  // The probe exits from the callback: the message is already in the port's pipe by then.
  const cb = rest.find((r): r is (e: Error | null) => void => typeof r === 'function');
  if (cb) setImmediate(cb, null);
  return true;
}) as typeof process.send;

await import('../core/exchange/probe-main');

export {};
