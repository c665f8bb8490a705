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

/** The x axis of a chart against step, and where a step sits on it. */
export interface StepAxis {
  scale: Scale;
  /** What x is: step + 1 on the log axis (step 0 has a place at 1), the step itself on the linear one. */
  offset: 0 | 1;
}

/**
 * The step axis of the loss, bands and learning-rate charts, up to `end` steps: log (the default: the first
 * hundred steps as wide as the last hundred thousand), or linear, where a schedule's triangles stay triangles.
 */
export function stepAxis(linear: boolean | undefined, end: number, s: number): StepAxis {
  return linear
    ? { scale: linearScale({ min: 0, max: Math.max(1, end) }, s), offset: 0 }
    : { scale: logScale(1, Math.max(2, end), s), offset: 1 };
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
