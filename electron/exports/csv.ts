// The stored curves as CSV: one row per stored point of every model.
import type { RunResult } from '../../core/events.ts';

export const CSV_COLUMNS = ['group', 'model', 'step', 'lossTrain', 'lossVal', 'lr'] as const;

const cell = (v: number | string) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));

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
