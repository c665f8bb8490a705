// Numbers as people read them, the same in the app and the CLI.
import type { MedianTime, Proportion } from './stats.ts';

/** A time left: "42 s", "3 min 5 s", "1 h 12 min"; a dash when unknown. */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** A count of steps: 9,777.5, 12,000. */
export function steps(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A rate and its interval: "0.37 [0.28, 0.47]"; a dash with no models. */
export function rateText(p: Proportion): string {
  return p.n ? `${(p.k / p.n).toFixed(2)} [${p.low.toFixed(2)}, ${p.high.toFixed(2)}]` : '–';
}

/**
 * A median time to reach with its interval, `cap` the run's step cap: "9,777.5 [9,528, 10,085]",
 * "9,777.5 [9,528, beyond 200,000]", or "not reached by 200,000 steps".
 */
export function medianStepsText(t: MedianTime, cap: number): string {
  if (t.median === null) return `not reached by ${steps(cap)} steps`;
  return `${steps(t.median)} [${t.low === null ? '–' : steps(t.low)}, ${t.high === null ? `beyond ${steps(cap)}` : steps(t.high)}]`;
}
