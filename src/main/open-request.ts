import { isAbsolute, resolve } from 'node:path';

/*
 * Case files asked for from outside the window: a double-click (the .casefile association starts
 * Casefile with the path), a second start while Casefile runs (the path arrives at the first
 * instance's second-instance event), or macOS's open-file event. All of them go through the
 * open path File > Open uses (the file.open handler: checked in a worker, refused with the
 * reason), once the app is ready and its window is up.
 */

/** The .casefile paths on a command line, made absolute against the directory it was run in. */
export function caseFilesIn(argv: readonly string[], cwd: string): string[] {
  // Chromium may append its own switches after the path; the executable and, unpackaged, the
  // app folder come first, and neither ends in .casefile.
  return argv
    .filter((a) => !a.startsWith('-') && /\.casefile$/i.test(a))
    .map((a) => (isAbsolute(a) ? a : resolve(cwd, a)));
}

export type Opener = (path: string) => Promise<void>;

/** Holds requests that arrive before the app is ready, then hands each to the opener in turn. */
export class OpenRequests {
  private queue: string[] = [];
  private opener: Opener | null = null;
  private running = Promise.resolve();

  add(path: string): void {
    if (this.opener) this.run(path);
    else this.queue.push(path);
  }

  ready(opener: Opener): void {
    this.opener = opener;
    for (const path of this.queue.splice(0)) this.run(path);
  }

  /** One at a time: a second file waits for the first to be opened (or refused). */
  private run(path: string): void {
    const open = this.opener!;
    this.running = this.running
      .then(() => open(path))
      .catch((e: unknown) =>
        console.error(`casefile: ${path} was not opened: ${e instanceof Error ? e.message : String(e)}`),
      );
  }

  /** Settles when every request so far has been handled (tests). */
  settled(): Promise<void> {
    return this.running;
  }
}
