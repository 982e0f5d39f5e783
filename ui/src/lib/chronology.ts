// A chronology reads oldest first; entries without a date go last, keeping their order.
import type { ChronologyEntry } from './types';

export function sortChronology(entries: readonly ChronologyEntry[]): ChronologyEntry[] {
  return entries
    .map((entry, order) => ({ entry, order }))
    .sort((a, b) => {
      if (a.entry.date === b.entry.date) return a.order - b.order;
      if (a.entry.date === null) return 1;
      if (b.entry.date === null) return -1;
      return a.entry.date < b.entry.date ? -1 : 1;
    })
    .map(({ entry }) => entry);
}
