/**
 * A file dropped on the window, waiting for the area that takes it: the Import area (a CSV or
 * XLSX, shown with its preview) or the File menu (a case file: Open or Merge). The drop may
 * come before the area is on screen, so the file waits here until it is taken.
 */
export type DropKind = 'data' | 'casefile';

const waiting = new Map<DropKind, File>();
const listeners = new Map<DropKind, Set<() => void>>();

export function offerDropped(kind: DropKind, file: File): void {
  waiting.set(kind, file);
  listeners.get(kind)?.forEach((l) => l());
}

/** The file waiting for `kind`, taken (so it is handled once). */
export function takeDropped(kind: DropKind): File | null {
  const f = waiting.get(kind) ?? null;
  waiting.delete(kind);
  return f;
}

export function onDropped(kind: DropKind, cb: () => void): () => void {
  let set = listeners.get(kind);
  if (!set) listeners.set(kind, (set = new Set()));
  set.add(cb);
  return () => set.delete(cb);
}

/** What a dropped file's name says it is. */
export function dropKindOf(name: string): DropKind | 'attachment' | null {
  const ext = /\.([^.]+)$/.exec(name.toLowerCase())?.[1] ?? '';
  if (ext === 'casefile') return 'casefile';
  if (ext === 'csv' || ext === 'tsv' || ext === 'xlsx') return 'data';
  if (ext === 'pdf' || ext === 'html' || ext === 'htm' || ext === 'txt' || ext === 'md') return 'attachment';
  return null;
}
