// The levels the seed's runs get stuck at, for the preset's target on its validation grid, by exact
// least squares: the best straight line (every kink of the network outside [0, 1]), the best constant
// (a dead hidden unit) and the zero function (a dead output, f ≡ 0). Each model's final state is
// classified against them.
import type { Grid } from './target.ts';

export interface Plateaus {
  /** MSE of the best constant fit: the variance of the targets. */
  constant: number;
  /** MSE of the best least-squares line. */
  line: number;
  /** MSE of f ≡ 0: the mean of y². Absent from results written before Minima Lab computed it. */
  zero?: number;
}

/**
 * Where a model ended, in the order tables list them: reached the loss limit; escaped (below the line
 * plateau, above the limit); on the line, constant or zero-output plateau; elsewhere; diverged; stopped
 * (the user's Stop interrupted it before the limit or the cap: where it would have ended is unknown).
 */
export const OUTCOMES = ['reached', 'escaped', 'line', 'constant', 'zero', 'other', 'diverged', 'stopped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Relative distance within which a final loss counts as sitting on a plateau. */
export const PLATEAU_TOLERANCE = 0.03;

export function plateausOf(grid: Grid): Plateaus {
  const n = grid.x.length;
  let mx = 0;
  let my = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    mx += grid.x[i];
    my += grid.y[i];
    yy += grid.y[i] * grid.y[i];
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
  return { constant: syy / n, line: (syy - (sxy * sxy) / sxx) / n, zero: yy / n };
}

/** The plateau levels by name, for those the result has. */
export function plateauLevels(plateaus: Plateaus): [Extract<Outcome, 'line' | 'constant' | 'zero'>, number][] {
  const levels: [Extract<Outcome, 'line' | 'constant' | 'zero'>, number | undefined][] = [
    ['line', plateaus.line],
    ['constant', plateaus.constant],
    ['zero', plateaus.zero],
  ];
  return levels.filter((l): l is [Extract<Outcome, 'line' | 'constant' | 'zero'>, number] => Number.isFinite(l[1]));
}

export function classify(status: 'reached' | 'capped' | 'diverged' | 'stopped', lossFinal: number, plateaus: Plateaus): Outcome {
  return status === 'diverged' || status === 'stopped' ? status : outcomeClassifier(plateaus)(lossFinal, status === 'reached');
}

/**
 * The outcome class of a validation loss against these plateaus: reached, diverged (not finite), the
 * nearest plateau within PLATEAU_TOLERANCE, else escaped below the line or other. Allocates nothing per
 * call, so a training loop can ask at every step.
 */
export function outcomeClassifier(plateaus: Plateaus): (loss: number, reached: boolean) => Outcome {
  const levels = plateauLevels(plateaus).filter(([, level]) => level > 0);
  return (loss, reached) => {
    if (reached) return 'reached';
    if (!Number.isFinite(loss)) return 'diverged';
    let nearest: Outcome | null = null;
    let nearestBy = PLATEAU_TOLERANCE;
    for (const [name, level] of levels) {
      const by = Math.abs(loss - level) / level;
      if (by <= nearestBy && (nearest === null || by < nearestBy)) [nearest, nearestBy] = [name, by];
    }
    return nearest ?? (loss < plateaus.line ? 'escaped' : 'other');
  };
}

/** An outcome's column heading, with the level it stands for where it has one. */
export function outcomeHeading(outcome: Outcome, plateaus: Plateaus, lossLimit: number, format: (v: number) => string): string {
  switch (outcome) {
    case 'reached':
      return `reached ≤${lossLimit}`;
    case 'line':
      return `line ${format(plateaus.line)}`;
    case 'constant':
      return `constant ${format(plateaus.constant)}`;
    case 'zero':
      return plateaus.zero === undefined ? 'zero output' : `zero output ${format(plateaus.zero)}`;
    default:
      return outcome;
  }
}
