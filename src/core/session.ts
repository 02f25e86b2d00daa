import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CaseInfo, EventName, EventPayload } from '../shared/contract';
import { CaseFile } from './write/case-file';
import { buildDemo } from './demo';
import { CasefileError } from './errors';
import { createCaseFileDb, type OpenOptions } from './db/open';
import { openForWork } from './write/open-for-work';
import { SettingsStore } from './settings';
import { BackupService } from './backup/service';
import { logLine, useLogFolder } from './log/app-log';
import { prepareCaseFile, type CheckOptions } from './exchange/received';
import { CleanCloses } from './clean-closes';
import { runTask } from './tasks/run-task';
import { TaskRegistry } from './tasks/registry';
import { usePrivateFolder } from './export/private-temp';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The app's state outside any window: settings and the open case file. The Electron main
 * process and the browser-mode server each hold one Session and serve it to every view.
 */
export class Session {
  readonly settings: SettingsStore;
  readonly backups: BackupService;
  /** Every long task of this session, stopped by id (tasks.cancel). */
  readonly tasks: TaskRegistry;
  private current: CaseFile | null = null;
  private listeners = new Set<Emit>();
  private unsub: (() => void)[] = [];
  /** The analyst's own files as this app last closed them (clean-closes.ts). */
  private readonly cleanCloses: CleanCloses;
  /** The open file passed its full check and is the analyst's own: its clean close is recorded. */
  private stampOnClose = false;
  /** Stops the background check of the open file when it is closed first. */
  private backgroundCheck: AbortController | null = null;

  constructor(
    configDir: string,
    readonly mode: 'electron' | 'browser',
    private readonly openOptions: OpenOptions = {},
  ) {
    this.settings = new SettingsStore(configDir);
    this.cleanCloses = new CleanCloses(configDir);
    this.tasks = new TaskRegistry((p) => this.emit('task.progress', p));
    this.backups = new BackupService(this.settings, (work) =>
      this.tasks.run('backup', {}, ({ progress }) => work(progress)),
    );
    useLogFolder(configDir);
    logLine('info', `started (${mode}, pid ${process.pid})`);
    // Exports are built in the settings folder; what a killed run left there goes now.
    usePrivateFolder(configDir);
  }

  get author(): string {
    return this.settings.get().author ?? 'Unnamed analyst';
  }

  subscribe(emit: Emit): () => void {
    this.listeners.add(emit);
    return () => this.listeners.delete(emit);
  }

  emit: Emit = (event, payload) => {
    for (const l of this.listeners) l(event, payload);
  };

  get caseFile(): CaseFile {
    if (!this.current) throw new CasefileError('no_case_file', 'No case file is open');
    return this.current;
  }

  get hasCaseFile(): boolean {
    return this.current !== null;
  }

  /**
   * Opens a file on this thread, quick_check included: for tests and the CLI. The app opens
   * files with openChecked, which does the checks in a worker.
   */
  open(path: string): CaseInfo {
    const db = openForWork(path, this.openOptions);
    return this.adopt(new CaseFile(db, path, () => this.author, this.settings.get().nodeId));
  }

  /**
   * Opens a file that may come from someone else: checked first in a task worker with a time
   * limit (exchange/received.ts), so that nothing in it can hold the app; then opened as usual,
   * without repeating quick_check or the summaries check when the file did not change in between.
   * The dashboard's summaries are trusted when their totals agree with the incidents (the
   * analyst's own file: a rebuild on every open would take half a minute at a million incidents),
   * or with `untrusted` (a colleague's file) always rebuilt in the worker.
   */
  async openChecked(path: string, opts: CheckOptions & { untrusted?: boolean } = {}): Promise<CaseInfo> {
    // The analyst's own file, untouched since this app closed it after a check: opened after the
    // cheap checks, quick_check in the background (openChecking). Anyone else's file, or one
    // changed since, is checked in full first.
    if (!opts.untrusted && this.cleanCloses.matches(path)) return this.openChecking(path);
    const stamp = () => {
      try {
        const st = statSync(path);
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return null;
      }
    };
    let before = stamp();
    // The worker also upgrades an older file (after a backup) and brings the dashboard's summaries
    // in step with the incidents; what it wrote is then the checked state.
    const { untrusted, ...check } = opts;
    const { wrote } = await prepareCaseFile(path, { ...check, migrate: true, rebuild: untrusted ?? false });
    if (wrote) before = stamp();
    // Stopped after its check but before it is adopted: the file open stays open.
    if (check.signal?.aborted) throw new CasefileError('refused', 'Cancelled');
    const db = openForWork(path, this.openOptions, { verified: before !== null && stamp() === before });
    const info = this.adopt(new CaseFile(db, path, () => this.author, this.settings.get().nodeId));
    this.stampOnClose = !untrusted;
    // In the background, at most once a day; a failure is logged and shown in the restore dialog.
    void this.backups.onOpened(info.path);
    return info;
  }

  /**
   * openChecked's fast path, for a file this app closed cleanly after checking it and that has
   * not changed since (clean-closes.ts): on this thread only what reads no row (header, identity,
   * version, the schema allowlist, trusted_schema off: db/open.ts with `verified`), then the
   * first page can show while quick_check runs in a worker. Until it passes nothing is written:
   * edits are refused, saying why, and the daily backup waits (a copy of a damaged file must not
   * push out a good one). Damage found is announced at once (file.checked) and writes stay
   * refused until another file is opened.
   */
  private openChecking(path: string): CaseInfo {
    const db = openForWork(path, this.openOptions, { verified: true });
    const cf = new CaseFile(db, path, () => this.author, this.settings.get().nodeId);
    const name = basename(path);
    const release = cf.holdWrites(
      'The check of this case file',
      `${name} is still being checked (it opened before its check finished); nothing was changed. Try again in a moment.`,
    );
    const info = this.adopt(cf);
    const ac = new AbortController();
    this.backgroundCheck = ac;
    const found = (message: string) => {
      if (this.current !== cf) return;
      cf.holdWrites(
        'Damage found',
        `${message}. Nothing will be written to it: restore a backup (Settings, Backups) or open another file.`,
      );
      logLine('error', `background check of ${path}: ${message}`);
      this.emit('file.checked', { path, ok: false, message });
    };
    void prepareCaseFile(path, { signal: ac.signal }).then(
      () => {
        if (this.current !== cf) return;
        this.stampOnClose = true;
        release();
        this.emit('file.checked', { path, ok: true });
        void this.backups.onOpened(path);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        found(e instanceof Error ? e.message : String(e));
      },
    );
    return info;
  }

  create(path: string, demo: boolean): CaseInfo {
    const db = createCaseFileDb(path, this.openOptions);
    const cf = new CaseFile(db, path, () => this.author, this.settings.get().nodeId);
    if (demo) {
      try {
        buildDemo(cf);
      } catch (e) {
        db.close();
        rmSync(path, { force: true });
        throw e;
      }
    }
    return this.adopt(cf);
  }

  /**
   * Opens path, creating the demo there first if it does not exist (the app's first start). An
   * existing file is checked in a worker (openChecked): quick_check reads every page, about 10 s
   * at a million incidents, which must not hold the event loop that serves the windows.
   */
  async openOrCreateDemo(path: string): Promise<CaseInfo> {
    return existsSync(path) ? this.openChecked(path) : this.create(path, true);
  }

  /**
   * Save As, as the 'save-as' task: VACUUM INTO a temporary file beside the target, then rename,
   * so an interrupted save never leaves a half-written file under the final name (and deleted
   * text is not copied).
   */
  saveAs(path: string, signal?: AbortSignal, taskId?: string): Promise<CaseInfo> {
    const cf = this.caseFile;
    if (path === cf.path) throw new CasefileError('refused', 'That is the file already open');
    return this.tasks.run('save-as', { id: taskId, signal }, async (t) => {
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      rmSync(tmp, { force: true });
      // Committed data only: the WAL is read through SQLite, never copied. A cancelled copy is
      // removed only once its worker has stopped writing it (runTask waits for it).
      try {
        await runTask(
          { kind: 'vacuum-into', source: cf.path, target: tmp },
          { signal: t.signal, onProgress: t.progress },
        );
        renameSync(tmp, path);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      // Checked in a worker like any file opened: the event loop stays free (10 s at a million incidents).
      return this.openChecked(path);
    });
  }

  close(): void {
    for (const u of this.unsub) u();
    this.unsub = [];
    this.backgroundCheck?.abort();
    this.backgroundCheck = null;
    const closed = this.current;
    closed?.db.close();
    this.current = null;
    // Closed cleanly after a check: the next open of this file, unchanged, may take the fast path.
    if (closed && this.stampOnClose) this.cleanCloses.record(closed.path);
    this.stampOnClose = false;
  }

  private adopt(cf: CaseFile): CaseInfo {
    this.close();
    this.current = cf;
    // Until this session closes it cleanly, the file has no stamp: after a crash it is checked in full.
    this.cleanCloses.forget(cf.path);
    this.unsub.push(
      cf.onChange((change) => this.emit('data.changed', change)),
      cf.onHistory(() => this.emit('history.changed', {})),
    );
    this.settings.addRecent(cf.path);
    logLine('info', `opened ${cf.path}`);
    const info = cf.info();
    this.emit('file.opened', info);
    this.emit('history.changed', {});
    return info;
  }
}
