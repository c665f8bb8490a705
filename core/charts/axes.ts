// The axes the charts draw: linear or logarithmic (1-2-5 ticks), and the range of the values they span.
import { formatTick, logTickOptions, replaceWithLogTicks } from './ticks.ts';

/** The parts of an axis the charts set; chartJsOptions adds its title, colours and fonts. */
export interface Scale {
  type: 'linear' | 'logarithmic';
  min?: number;
  max?: number;
  ticks?: Record<string, unknown>;
  afterBuildTicks?: (axis: never) => void;
}

/** A logarithmic axis: our 1-2-5 ticks, thinned by Chart.js where labels would touch. */
export function logScale(min: number, max: number, s: number): Scale {
  return { type: 'logarithmic', min, max, afterBuildTicks: replaceWithLogTicks as never, ticks: logTickOptions(8 * s) };
}

export function linearScale(extra: Omit<Scale, 'type'>, s: number): Scale {
  return {
    type: 'linear',
    ...extra,
    ticks: {
      autoSkip: true,
      autoSkipPadding: 10 * s,
      maxRotation: 0,
      callback: (v: number | string) => formatTick(Number(v)),
      ...extra.ticks,
    },
  };
}

/** The smallest and largest finite values (a loop: a sweep's curves hold more points than a spread's argument list may). */
export function extent(values: Iterable<number>, fallback: [number, number] = [0, 1]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? [low, high] : fallback;
}
