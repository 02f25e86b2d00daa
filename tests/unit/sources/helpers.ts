import { session } from '../../helpers';

/** A session on the demo case file, with the id of its source 'ime2024' and of an incident to cite it from. */
export function demoSource() {
  const { s } = session();
  const cf = s.caseFile;
  const source = (cf.db.prepare("SELECT id FROM sources WHERE key = 'ime2024'").get() as { id: string }).id;
  const incident = (cf.db.prepare('SELECT id FROM incidents LIMIT 1').get() as { id: string }).id;
  return { s, cf, source, incident };
}
