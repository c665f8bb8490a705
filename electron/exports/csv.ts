// The stored curves as CSV: one row per stored point of every model.
import type { RunResult } from '../../core/results/events.ts';
import { printable } from '../../core/preset/problems.ts';

export const CSV_COLUMNS = ['group', 'model', 'step', 'lossTrain', 'lossVal', 'lr'] as const;

/**
 * One CSV cell. Text a spreadsheet would run as a formula (=, +, -, @ first, or a tab or return; or any
 * look-alike of them, such as a full-width ＝, which NFKC folds to one) gets a leading apostrophe, as OWASP
 * advises; control characters are written as escapes (names saved before they were refused); quotes and
 * commas are quoted.
 */
export function cell(v: number | string): string {
  if (typeof v !== 'string') return String(v);
  const first = String.fromCodePoint(v.codePointAt(0) ?? 0x20).normalize('NFKC');
  const safe = printable(/^[=+\-@\t\r]/.test(first) ? `'${v}` : v);
  return /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function curvesCsv(result: RunResult): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const m of result.models) {
    const c = m.curves;
    for (let k = 0; k < c.step.length; k++) {
      rows.push([m.group, m.index, c.step[k], c.lossTrain[k] ?? NaN, c.lossVal[k] ?? NaN, c.lr[k]].map(cell).join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}
