// Numbers as people read them, the same in the app and the CLI.
import type { MedianTime, Proportion } from './stats.ts';
import type { GroupSummary } from './summary.ts';

/** A time left: "42 s", "3 min 5 s", "1 h 12 min"; a dash when unknown. */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/**
 * How many models a run (a group) has, as a table's cell says it: "20", or, where it ended before all had
 * trained (stopped, interrupted), "5 of 20"; `kept` is the models its result kept.
 */
export function keptOf(planned: number, kept?: number): string {
  const of = kept !== undefined && kept < planned ? `${kept.toLocaleString('en-US')} of ` : '';
  return `${of}${planned.toLocaleString('en-US')}`;
}

/** The same as every list and header says it: "20 models", "5 of 20 models". */
export function modelCount(planned: number, kept?: number): string {
  return `${keptOf(planned, kept)} model${planned === 1 ? '' : 's'}`;
}

/** A count of steps: 9,777.5, 12,000. */
export function steps(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/**
 * A share in whole percent, but never rounded to 0 or 100 % when it is not: then one significant digit of
 * its distance to that end: "37", "1", "0.4", "0.02", "99.98".
 */
export function percent(share: number): string {
  const pct = share * 100;
  const whole = Math.round(pct);
  if ((whole > 0 && whole < 100) || pct <= 0 || pct >= 100) return `${whole}`;
  const gap = pct < 1 ? pct : 100 - pct;
  return pct.toFixed(Math.max(1, -Math.floor(Math.log10(gap) + 1e-9))); // + 1e-9: 100 − 99.9 is 0.0999…
}

/** A rate and its interval, as the heatmap's cells say it: "37 % [28–47 %]"; a dash with no models. */
export function rateText(p: Proportion): string {
  return p.n ? `${percent(p.k / p.n)} % [${percent(p.low)}–${percent(p.high)} %]` : '–';
}

/**
 * A median time to reach with its interval, `seen` the steps the models were watched for (the step cap,
 * or fewer where Stop cut them short): "9,777.5 [9,528, 10,085]", "9,777.5 [9,528, beyond 200,000]", or
 * "not reached by 200,000 steps"; a dash where no model ended by itself (a group a stopped run never
 * started, or whose every model it stopped).
 */
export function medianStepsText(t: MedianTime, seen: number, ended: number): string {
  if (!ended) return '–';
  if (t.median === null) return `not reached by ${steps(seen)} steps`;
  return `${steps(t.median)} [${t.low === null ? '–' : steps(t.low)}, ${t.high === null ? `beyond ${steps(seen)}` : steps(t.high)}]`;
}

/** The final-loss clusters a table has room for (the three most common) and, when there are more, how many models the rest hold. */
export function commonClusters(clusters: GroupSummary['clusters']): { shown: GroupSummary['clusters']; others: string | null } {
  const rest = clusters.slice(3).reduce((n, c) => n + c.count, 0);
  return { shown: clusters.slice(0, 3), others: rest ? `${rest} other model${rest === 1 ? '' : 's'}` : null };
}
