// The timeline's arithmetic, free of Svelte: where a step sits on its log time axis, the snapshot steps
// the arrow keys visit, and where a model stood at a step (its outcome class then).
import type { ChartModel } from '../../../core/charts/data.ts';
import { outcomeClassifier, type Outcome, type Plateaus } from '../../../core/model/plateaus.ts';
import type { Snapshots } from '../../../core/results/snapshots.ts';

/** The slider's position of `step` on [0, 1]: log(step + 1) over log(last + 1), as the charts' step axes. */
export function positionOf(step: number, last: number): number {
  return last > 0 ? Math.log1p(Math.min(Math.max(step, 0), last)) / Math.log1p(last) : 0;
}

/** The step at a slider position on [0, 1]: a whole step. */
export function stepAt(position: number, last: number): number {
  return Math.min(last, Math.max(0, Math.round(Math.expm1(position * Math.log1p(last)))));
}

/** Every step any of these models kept a snapshot at, in order, once each. */
export function snapshotSteps(kept: Iterable<Snapshots>): number[] {
  const steps = new Set<number>();
  for (const s of kept) for (const t of s.step) steps.add(t);
  return [...steps].sort((a, b) => a - b);
}

/** The step the arrow keys go to from `step`: the next snapshot step after it (+1) or the last before it (−1). */
export function neighbour(steps: readonly number[], step: number, direction: 1 | -1): number {
  if (direction > 0) return steps.find((t) => t > step) ?? steps.at(-1) ?? step;
  let before = steps[0] ?? step;
  for (const t of steps) if (t < step) before = t;
  return before;
}

/** A model's validation loss at `step`: its curve's point at or before it (snapshots are taken at curve points). */
export function lossAt(model: ChartModel, step: number): number | null {
  const steps = model.curves.step;
  let low = 0;
  let high = steps.length - 1;
  if (high < 0 || steps[0] > step) return null;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (steps[mid] <= step) low = mid;
    else high = mid - 1;
  }
  return model.curves.lossVal[low];
}

/**
 * A model's outcome class at `step`, from its validation loss then: a model that had stopped by then
 * (reached the limit, diverged) stays where it ended.
 */
export function outcomeAt(
  model: ChartModel,
  step: number,
  plateaus: Plateaus,
  lossLimit: number,
): { outcome: Outcome; loss: number } | null {
  if (model.steps !== undefined && model.outcome !== undefined && step >= model.steps) {
    return { outcome: model.outcome, loss: model.lossFinal ?? NaN };
  }
  const loss = lossAt(model, step);
  return loss === null ? null : { outcome: outcomeClassifier(plateaus)(loss, loss <= lossLimit), loss };
}
