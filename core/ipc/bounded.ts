// Schemas whose size is counted before their content is checked. zod checks a record's every key and value
// before any limit on their number (3 million keys in one argument held the main process 6 s and 1.2 GB),
// so the IPC contract's records count their entries first (test/contract.test.ts finds every string, list
// and record of the contract bounded).
import { z } from 'zod';

/** Whether `value` (an object; anything else is left to the record's own check) has at most `max` entries of its own. */
function entriesAtMost(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  let entries = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++entries > max) return false;
  return true;
}

/** A record of at most `max` entries: one more is refused in one line before any entry is checked. */
export function boundedRecord<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V, max: number) {
  return z
    .custom<z.input<z.ZodRecord<K, V>>>((v) => entriesAtMost(v, max), { message: `has at most ${max} entries` })
    .pipe(z.record(key, value))
    .meta({ maxEntries: max });
}
