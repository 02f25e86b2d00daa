/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp that follows wall-clock time where clocks
 * agree and still orders causally related events when they do not. A laptop whose clock is an
 * hour behind still stamps its edits after every change it has already seen (from a merge),
 * so ordering never rests on wall time alone.
 *
 * Encoded as fixed-width text so that string order is clock order:
 * 13 hex digits of milliseconds, 6 hex digits of counter, then the node id.
 */
export type HlcParts = { wall: number; counter: number; node: string };

export function encodeHlc(p: HlcParts): string {
  return `${p.wall.toString(16).padStart(13, '0')}-${p.counter.toString(16).padStart(6, '0')}-${p.node}`;
}

export function decodeHlc(s: string): HlcParts {
  const m = /^([0-9a-f]{13})-([0-9a-f]{6})-([0-9a-z]{1,32})$/.exec(s);
  if (!m) throw new Error(`not a clock value: ${JSON.stringify(s.slice(0, 40))}`);
  return { wall: parseInt(m[1]!, 16), counter: parseInt(m[2]!, 16), node: m[3]! };
}

export class HybridClock {
  private wall = 0;
  private counter = 0;
  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A timestamp for a local event. */
  tick(): string {
    const pt = this.now();
    if (pt > this.wall) {
      this.wall = pt;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return encodeHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /** Takes in a timestamp seen elsewhere (loaded from the file, or from a merged file). */
  observe(remote: string): void {
    const r = decodeHlc(remote);
    if (r.wall > this.wall || (r.wall === this.wall && r.counter > this.counter)) {
      this.wall = r.wall;
      this.counter = r.counter;
    }
  }
}
