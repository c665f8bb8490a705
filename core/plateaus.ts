// The two levels the seed's runs get stuck at, for the preset's target on its validation grid, by
// exact least squares: the best constant (a dead hidden unit) and the best straight line (every kink
// of the network outside [0, 1]). Each model's final state is classified against them.
import type { Grid } from './target.ts';

export interface Plateaus {
  /** MSE of the best constant fit: the variance of the targets. */
  constant: number;
  /** MSE of the best least-squares line. */
  line: number;
}

/** Where a model ended, in the order tables list them. */
export const OUTCOMES = ['reached', 'line', 'constant', 'other', 'diverged'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Relative distance within which a final loss counts as sitting on a plateau. */
export const PLATEAU_TOLERANCE = 0.03;

export function plateausOf(grid: Grid): Plateaus {
  const n = grid.x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += grid.x[i];
    my += grid.y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = grid.x[i] - mx;
    const dy = grid.y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  return { constant: syy / n, line: (syy - (sxy * sxy) / sxx) / n };
}

export function classify(status: 'reached' | 'capped' | 'diverged' | 'stopped', lossFinal: number, plateaus: Plateaus): Outcome {
  if (status === 'reached') return 'reached';
  if (status === 'diverged' || !Number.isFinite(lossFinal)) return 'diverged';
  const near = (level: number) => Math.abs(lossFinal - level) / level;
  const candidates = (
    [
      ['line', plateaus.line],
      ['constant', plateaus.constant],
    ] as const
  )
    .filter(([, level]) => level > 0 && near(level) <= PLATEAU_TOLERANCE)
    .sort((p, q) => near(p[1]) - near(q[1]));
  return candidates.length ? candidates[0][0] : 'other';
}
