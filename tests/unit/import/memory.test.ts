import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createAcledMapper } from '../../../src/core/import/acled';
import { openCsv } from '../../../src/core/import/csv-stream';
import { tmpPath } from './helpers';

const HEADER =
  'event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp';

/** About `mb` megabytes of ACLED rows, written in pieces so the test itself stays small in memory. */
async function writeAcled(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  out.write(`\uFEFF${HEADER}\r\n`);
  let bytes = 0;
  let n = 0;
  while (bytes < mb * 1024 * 1024) {
    const lines: string[] = [];
    for (let k = 0; k < 1000; k++, n++) {
      const day = String((n % 28) + 1).padStart(2, '0');
      lines.push(
        `AFG${n},2022-12-${day},2022,1,Political violence,Explosions/Remote violence,Suicide bomb,Islamic State (Afghanistan),NA,Rebel group,Civilians (Afghanistan),NA,Civilians,Rebel group-Civilians,Civilian targeting,4,Caucasus and Central Asia,Afghanistan,Kabul,Kabul,NA,Kabul,34.5167,69.1833,1,Pajhwok Afghan News; Tolo News,National,"Event ${n}: a bomb exploded near a mosque, ""witnesses said"";\nnumbers unclear.",${n % 9},,1672700000`,
      );
    }
    const chunk = lines.join('\r\n') + '\r\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

describe('streaming a large file', () => {
  it('keeps memory bounded while reading and mapping ~50 MB of ACLED rows', async () => {
    const path = tmpPath('big-acled.csv');
    const written = await writeAcled(path, 50);
    const before = process.memoryUsage().rss;
    let peak = before;
    const reader = await openCsv(path, { batchSize: 5000 });
    const map = createAcledMapper(reader.header);
    let ok = 0;
    let lastLine = 0;
    for await (const batch of reader.batches()) {
      for (const r of batch.rows) {
        const res = map.map(r.cells, r.line);
        if (res.ok) ok++;
        lastLine = r.line;
      }
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(ok).toBe(written);
    // every record spans two physical lines (the note holds a line break)
    expect(lastLine).toBe(2 * written);
    console.log('RSS growth MB', ((peak - before) / 1048576).toFixed(1));
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);
});
