import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { nodeId } from './ids';

/**
 * App settings live beside the app, not in the case file: the user's name (asked once), this
 * installation's clock node id, and recent files. A case file sent to a colleague carries
 * authors in its rows, never the reader's settings.
 */
const Settings = z.object({
  author: z.string().nullable().default(null),
  nodeId: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .default(() => nodeId()),
  recent: z.array(z.string()).default([]),
  /** The folder a file was last chosen in or kept in: where the next file dialog starts. */
  lastFolder: z.string().nullable().catch(null).default(null),
  // Preferences (the Settings dialog). Each falls back to its default alone, so one bad value
  // in a hand-edited file does not reset the others.
  theme: z.enum(['system', 'light', 'dark']).catch('system').default('system'),
  exportChartsDark: z.boolean().catch(false).default(false),
  citationStyle: z.enum(['chicago-author-date', 'apa']).catch('chicago-author-date').default('chicago-author-date'),
  dateOrder: z.enum(['dmy', 'mdy']).nullable().catch(null).default(null),
  /** The team hub address last synced with (never a password: the handler refuses one). */
  hubUrl: z.string().nullable().catch(null).default(null),
  backups: z
    .object({ enabled: z.boolean().default(true), keep: z.number().int().min(1).max(100).default(10) })
    .catch({ enabled: true, keep: 10 })
    .default({ enabled: true, keep: 10 }),
});
export type Settings = z.infer<typeof Settings>;

export class SettingsStore {
  private data: Settings;
  private readonly file: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'settings.json');
    let raw: unknown = {};
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      /* first start, or unreadable: start over with defaults */
    }
    const parsed = Settings.safeParse(raw);
    this.data = parsed.success ? parsed.data : Settings.parse({});
    this.save();
  }

  get(): Settings {
    return this.data;
  }

  update(patch: Partial<Settings>): void {
    this.data = { ...this.data, ...patch };
    this.save();
  }

  addRecent(path: string): void {
    this.update({ recent: [path, ...this.data.recent.filter((p) => p !== path)].slice(0, 10) });
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    renameSync(tmp, this.file);
  }
}
