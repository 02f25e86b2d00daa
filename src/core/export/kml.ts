import { FIELDS, type Field } from '../../shared/domain/fields';
import type { Row, SourceRef } from './map-export';
import { positionOf } from './map-export';

/**
 * KML 2.2 for Google Earth and GIS tools: one Placemark per row, its fields as ExtendedData, its
 * date as a TimeStamp at the date's own precision (KML's dateTime takes YYYY, YYYY-MM and
 * YYYY-MM-DD, so an imprecise date stays imprecise), its sources in the description. Text is
 * escaped for XML, and characters XML 1.0 cannot hold are left out rather than breaking the file.
 */
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
export const xmlText = (v: unknown): string =>
  String(v ?? '')
    .replace(XML_ILLEGAL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export const kmlDocument = {
  open: (table: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n<name>${xmlText(table)}</name>\n`,
  close: '</Document>\n</kml>\n',
};

function nameOf(table: 'incidents' | 'plots', r: Row): string {
  const parts =
    table === 'incidents'
      ? [r.date, r.event_type ?? r.sub_event_type, r.location ?? r.admin1 ?? r.country]
      : [r.date ?? r.date_before, r.attack_type, r.target_city ?? r.country];
  return parts.filter((p) => p !== null && p !== undefined && p !== '').join(' · ') || String(r.id);
}

export function kmlPlacemark(table: 'incidents' | 'plots', r: Row, sources: SourceRef[]): string {
  const pos = positionOf(r);
  const data = (FIELDS[table] as readonly Field[])
    .filter((f) => f.name !== 'latitude' && f.name !== 'longitude' && r[f.name] !== null && r[f.name] !== undefined)
    .map((f) => `<Data name="${f.name}"><value>${xmlText(r[f.name])}</value></Data>`);
  data.unshift(`<Data name="id"><value>${xmlText(r.id)}</value></Data>`);
  data.push(`<Data name="sources"><value>${xmlText(sources.map((s) => s.key).join('; '))}</value></Data>`);
  const desc = [
    typeof r.description === 'string' ? r.description : '',
    ...sources.map((s) => `Source: ${s.title}${s.url ? ` <${s.url}>` : ''}`),
  ]
    .filter(Boolean)
    .join('\n');
  const date = typeof r.date === 'string' ? `<TimeStamp><when>${xmlText(r.date)}</when></TimeStamp>` : '';
  const point = pos ? `<Point><coordinates>${pos[0]},${pos[1]}</coordinates></Point>` : '';
  // No id attribute: KML's is an XML ID, which may not begin with a digit as a UUID does.
  return `<Placemark><name>${xmlText(nameOf(table, r))}</name><description>${xmlText(desc)}</description>${date}<ExtendedData>${data.join('')}</ExtendedData>${point}</Placemark>\n`;
}
