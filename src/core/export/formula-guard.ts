/**
 * The protection exports put on text that a spreadsheet could run as a formula, and the exact
 * inverse that imports apply, so that a file exported by Casefile comes back as it went out.
 *
 * A text cell that starts with `=`, `+`, `-`, `@`, a tab, a carriage return, a line feed or a
 * NUL may be taken for a formula (CSV injection; a spreadsheet drops a leading NUL or line break
 * and then sees `=1+1`). Such text is written with a leading `'`, which spreadsheets read as "this
 * is text". Text that already starts with apostrophes before such a character (`'=x`) gets one
 * more, so that an import can remove exactly one `'` from every cell of the form `'…'<formula
 * character>…` and get every string back exactly:
 *
 *   export: s matches /^'*F/  -> "'" + s         import: t matches /^'+F/ -> t without its first "'"
 *
 * (the images of the export's two branches are disjoint, so the import knows which one it reads).
 */
const FORMULA_CHAR = /^[=+\-@\t\r\n\0]/;
const GUARDED = /^'*[=+\-@\t\r\n\0]/;
const PROTECTED = /^'+[=+\-@\t\r\n\0]/;

/** Whether a spreadsheet could take this text for a formula (before any `'`). */
export function looksLikeFormula(s: string): boolean {
  return FORMULA_CHAR.test(s);
}

/** The text an export writes for `s` in a CSV cell. */
export function guardFormula(s: string): string {
  return GUARDED.test(s) ? `'${s}` : s;
}

/** The inverse of guardFormula, for every cell an import reads. */
export function unguardFormula(s: string): string {
  return s.charCodeAt(0) === 39 && PROTECTED.test(s) ? s.slice(1) : s;
}
