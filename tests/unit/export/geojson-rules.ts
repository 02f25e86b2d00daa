/**
 * The rules of RFC 7946 a Casefile export must keep, checked on the parsed document: a
 * FeatureCollection of Features; each geometry null or a Point whose position is
 * [longitude, latitude] (in that order: §3.1.1), two finite numbers in range, no altitude we do not
 * have; no "crs" member anywhere (§4: removed from the format); members of a Feature are
 * "type", "geometry", "properties" and an optional "id" that is a string or number (§3.2); no
 * "coordinates" or "geometries" member outside a geometry (§7.1). Returns the problems found.
 */
export function geojsonProblems(doc: unknown): string[] {
  const out: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const noCrs = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => noCrs(x, `${path}[${i}]`));
    else if (isObj(v))
      for (const [k, x] of Object.entries(v)) {
        if (k === 'crs') out.push(`${path}: has a "crs" member`);
        noCrs(x, `${path}.${k}`);
      }
  };
  if (!isObj(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    return ['not a FeatureCollection with a features array'];
  noCrs(doc, '$');
  doc.features.forEach((f, i) => {
    const at = `features[${i}]`;
    if (!isObj(f) || f.type !== 'Feature') return out.push(`${at}: not a Feature`);
    if (!('geometry' in f) || !('properties' in f)) out.push(`${at}: lacks geometry or properties`);
    if ('id' in f && typeof f.id !== 'string' && typeof f.id !== 'number')
      out.push(`${at}: id is neither string nor number`);
    if (f.properties !== null && !isObj(f.properties)) out.push(`${at}: properties is not an object`);
    if (isObj(f.properties) && ('coordinates' in f.properties || 'geometries' in f.properties))
      out.push(`${at}: geometry members in properties`);
    const g = f.geometry;
    if (g === null) return;
    if (!isObj(g) || g.type !== 'Point' || !Array.isArray(g.coordinates))
      return out.push(`${at}: geometry is not a Point`);
    const [lon, lat, ...rest] = g.coordinates as unknown[];
    if (rest.length > 0) out.push(`${at}: position has more than two numbers`);
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat))
      return out.push(`${at}: position is not two finite numbers`);
    if (lon < -180 || lon > 180) out.push(`${at}: longitude ${lon} out of range`);
    if (lat < -90 || lat > 90) out.push(`${at}: latitude ${lat} out of range`);
  });
  return out;
}
