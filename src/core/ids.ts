import { randomBytes } from 'node:crypto';

/** UUID v7 (RFC 9562): 48-bit Unix milliseconds, then random bits; ids sort by creation. */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A random id for this installation's clock (a node id of the hybrid logical clock). */
export function nodeId(): string {
  return randomBytes(6).toString('hex');
}
