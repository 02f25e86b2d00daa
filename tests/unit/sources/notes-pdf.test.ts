import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session } from '../../helpers';

describe('notes.exportPdf outside the desktop app', () => {
  it('is refused with what to do instead (the Electron main process replaces this handler)', async () => {
    const { s } = session();
    const id = (s.caseFile.db.prepare('SELECT id FROM notes LIMIT 1').get() as { id: string }).id;
    const r = await dispatch(makeHandlers(s, 'test'), 'notes.exportPdf', { id, document: '<!doctype html><p>x</p>' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'refused', message: 'PDF export is in the desktop app; here, use Print / Save as PDF' },
    });
  });
});
