import type { DateOrder } from '../../shared/channels/import';
import { numericDateOrder, parseDate, type DateOptions, type DateResult } from './values';

/**
 * How one file's dates such as `09/05/2021` are read, day or month first. An order the analyst
 * chose (`--date-order`, the Import tab, or remembered with a mapping) reads them all. Without
 * one the file settles it: the first date that reads only one way (`15/01/2015`) fixes the order
 * for the rest of the file, and the rows met before it whose dates read both ways are held back
 * by the importer and read again once it is settled. One reader per file, used in row order.
 */
export type DateRead = DateResult & { pending?: true; settles?: DateOrder };

export class DateOrderReader {
  order: DateOrder | null;
  readonly chosen: boolean;

  constructor(order: DateOrder | null | undefined) {
    this.order = order ?? null;
    this.chosen = this.order !== null;
  }

  read(raw: string, options: Omit<DateOptions, 'dateOrder'> = {}): DateRead {
    const d = parseDate(raw, { ...options, ...(this.order ? { dateOrder: this.order } : {}) });
    if (d.ok) {
      if (this.order === null) {
        const o = numericDateOrder(raw);
        if (o === 'dmy' || o === 'mdy') {
          this.order = o;
          return { ...d, settles: o };
        }
      }
      return d;
    }
    // Not settled yet: the importer holds the row until a later date settles the order.
    return d.ambiguous && this.order === null ? { ...d, pending: true } : d;
  }
}
