// A group's losses as a band: at every stored step, the median of its models and the spread around it
// (10th to 90th percentile, or min to max). Every value drawn is one some model had (nearest-rank
// quantiles): with models split between two plateaus, an interpolated median would draw a level none of
// them is at. The 10 % edge mirrors the 90 % one, so as many models lie below the band as above it
// (of ten, the band runs from the second lowest to the second highest). A model that reached the limit
// stays at its last loss after it stopped; a model still training (or stopped, or diverged) counts only
// where it has values.
import type { Curves } from '../results/curves.ts';

import type { BandRange } from './kinds.ts';

export interface BandModel {
  curves: Curves;
  status: string;
}

export interface Band {
  step: number[];
  low: number[];
  median: number[];
  high: number[];
  /** How many models each point summarises. */
  count: number[];
}

/** The q-quantile (0..1) of sorted values by nearest rank: one of the values (the lower one on a tie, so the median of an even count is the lower middle). */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.ceil(q * sorted.length) - 1] ?? sorted[0];
}

/** The band of one series (`lossVal` or `lossTrain`) over the models' union of stored steps. */
export function bandOf(models: BandModel[], series: 'lossVal' | 'lossTrain', range: BandRange): Band {
  const steps = [...new Set(models.flatMap((m) => m.curves.step))].sort((a, b) => a - b);
  const cursor = models.map(() => -1);
  const band: Band = { step: [], low: [], median: [], high: [], count: [] };
  for (const step of steps) {
    const values: number[] = [];
    models.forEach((m, k) => {
      const c = m.curves;
      while (cursor[k] + 1 < c.step.length && c.step[cursor[k] + 1] <= step) cursor[k]++;
      const last = c.step.length - 1;
      if (cursor[k] < 0 || (cursor[k] === last && step > c.step[last] && m.status !== 'reached')) return;
      const v = c[series][cursor[k]];
      if (v > 0 && Number.isFinite(v)) values.push(v);
    });
    if (!values.length) continue;
    values.sort((a, b) => a - b);
    band.step.push(step);
    band.count.push(values.length);
    band.median.push(quantile(values, 0.5));
    const outside = range === 'quantiles' ? values.length - Math.ceil(0.9 * values.length) : 0; // models above the band
    band.low.push(values[outside]);
    band.high.push(values[values.length - 1 - outside]);
  }
  return band;
}
