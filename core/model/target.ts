// The function to fit on [0, 1], evaluated in float64 on exact inputs (x > threshold compares exactly).
import type { Target } from '../preset/preset.ts';

export type TargetFn = (x: number) => number;

export function targetFunction(target: Target): TargetFn {
  switch (target.kind) {
    case 'step': {
      const { threshold, low, high } = target;
      return (x) => (x > threshold ? high : low);
    }
    case 'ramp': {
      const { from, to, low, high } = target;
      return (x) => (x <= from ? low : x >= to ? high : low + ((high - low) * (x - from)) / (to - from));
    }
    case 'abs': {
      const { center } = target;
      return (x) => Math.abs(x - center);
    }
    case 'sine': {
      const { cycles, amplitude, offset } = target;
      return (x) => offset + amplitude * Math.sin(2 * Math.PI * cycles * x);
    }
    case 'piecewise-linear': {
      const xs = target.points.map((p) => p[0]);
      const ys = target.points.map((p) => p[1]);
      const last = xs.length - 1;
      return (x) => {
        if (x <= xs[0]) return ys[0];
        if (x >= xs[last]) return ys[last];
        let k = 1;
        while (xs[k] < x) k++;
        return ys[k - 1] + ((ys[k] - ys[k - 1]) * (x - xs[k - 1])) / (xs[k] - xs[k - 1]);
      };
    }
  }
}

/** The validation grid x_i = i / (N - 1), exact in float64, with its targets. */
export interface Grid {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export function makeGrid(points: number, target: TargetFn): Grid {
  const x = new Float64Array(points);
  const y = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    x[i] = i / (points - 1);
    y[i] = target(x[i]);
  }
  return { x, y };
}

/**
 * Where the target itself breaks inside (0, 1): a step's jump, a ramp's ends, |x − c|'s corner, the points
 * where a piecewise line changes slope.
 */
export function targetBreaks(target: Target): number[] {
  const inside = (xs: number[]) => xs.filter((x) => x > 0 && x < 1);
  switch (target.kind) {
    case 'step':
      return inside([target.threshold]);
    case 'ramp':
      return inside([target.from, target.to]);
    case 'abs':
      return inside([target.center]);
    case 'sine':
      return [];
    case 'piecewise-linear': {
      const p = target.points;
      const slope = (k: number) => (p[k + 1][1] - p[k][1]) / (p[k + 1][0] - p[k][0]);
      return inside(p.slice(1, -1).flatMap(([x], k) => (slope(k) !== slope(k + 1) ? [x] : [])));
    }
  }
}
