import type { CaseFile } from '../../../src/core/write/case-file';

/**
 * Incidents naming one group and one province as different datasets and scripts do: ACLED's and
 * GTD's English names, the group's acronym, its own Dari-script name (with farsi yeh, as typed on
 * a Persian keyboard), Russian reporting; Herat as Herat, Hirat and هرات.
 */
export const MULTI_SCRIPT = [
  {
    actor1: 'Islamic State Khorasan Province',
    admin1: 'Herat',
    description: 'Suicide attack on a mosque in Herat city, claimed by Amaq.',
  },
  { actor1: 'ISKP', admin1: 'Hirat', description: 'IED against a Taliban patrol near the airport.' },
  { actor1: 'ولایت خراسان', admin1: 'هرات', description: 'ولایت خراسان مسئولیت حمله انتحاری در هرات را بر عهده گرفت' },
  {
    actor1: 'ИГИЛ-Хорасан',
    admin1: 'Kabul',
    description: 'Взрыв у здания министерства в Кабуле; ответственность взяла группировка.',
  },
  { actor1: 'Taliban', admin1: 'Kabul', description: 'Checkpoint set up on the Kabul-Jalalabad road.' },
  {
    actor1: 'Military Forces of Afghanistan',
    assoc_actors: 'Khorasan Chapter of the Islamic State; Civilians (Afghanistan)',
    admin1: 'Panjshir',
    description: 'Clash in the Panjshir valley.',
  },
  { actor1: 'National Resistance Front', admin1: 'Panjshayr', description: 'Ambush reported in Panjshayr.' },
];

export function addMultiScript(cf: CaseFile): string[] {
  return cf.action('Add incidents', (tx) =>
    MULTI_SCRIPT.map(
      (v, i) =>
        tx.insert('incidents', {
          country: 'Afghanistan',
          date: `2023-0${i + 1}-15`,
          event_type: 'Explosions/Remote violence',
          ...v,
        }).id as string,
    ),
  );
}
