// A model's parameters kept along its training, for replaying it: at each step its curve keeps a point
// (every step to 100, then log-spaced) and at each step its outcome class changes (a plateau reached or
// left), as many as a few hundred a model. A snapshot at step s holds the parameters at which step s's
// losses were measured: before that step's update. Only networks small enough for the views that replay
// them keep snapshots (SNAPSHOT_PARAMS_LIMIT), so a deep network's result stays its size.
import { outcomeClassifier, type Outcome, type Plateaus } from '../model/plateaus.ts';
import { LIVE_WEIGHTS_LIMIT } from './events.ts';

export interface Snapshots {
  step: number[];
  /** One row of parameters a step, in the network's flat order (as initialParams and finalParams). */
  params: number[][];
}

/** Snapshots taken for changes of outcome class, at most: a loss hovering at a plateau's edge flips often. */
export const MAX_CLASS_CHANGES = 64;

/** The most parameters a network may have for its snapshots to be kept: as many as the live fit chart draws. */
export const SNAPSHOT_PARAMS_LIMIT = LIVE_WEIGHTS_LIMIT;

/** Which models keep snapshots, on every backend: for the messages about a model or run without them. */
export const SNAPSHOTS_KEPT_FOR = `networks of at most ${SNAPSHOT_PARAMS_LIMIT} parameters`;
/** Why a stored run, or one model of it, has no snapshots to read: `lab landscape`'s and the app's words. */
export const NO_SNAPSHOTS = {
  run: `this run kept no snapshots (they are kept for ${SNAPSHOTS_KEPT_FOR})`,
  model: 'its run kept no snapshots of it (a sweep keeps them for its curvesPerCell models of each cell)',
} as const;

/**
 * A model's name, as snapshot files and the views name it: its group (a sweep's cell) and 0-based index
 * there. Its index follows the last `#`: a group's name may hold one (a sweep's repeated labels do).
 */
export function modelName(model: { group: string; index: number }): string {
  return `${model.group}#${model.index}`;
}

/**
 * The index of the snapshot a model shows at `step`: its last one at or before it (step 0 is always kept),
 * so a model that stopped earlier stays as it ended.
 */
export function snapshotIndexAt(snapshots: Snapshots, step: number): number {
  const steps = snapshots.step;
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (steps[mid] <= step) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function emptySnapshots(): Snapshots {
  return { step: [], params: [] };
}

export class SnapshotRecorder {
  readonly snapshots = emptySnapshots();
  private readonly outcomeOf: (loss: number, reached: boolean) => Outcome;
  private outcome: Outcome | null = null;
  private classChanges = 0;

  constructor(plateaus: Plateaus) {
    this.outcomeOf = outcomeClassifier(plateaus);
  }

  /**
   * Step `step`'s parameters, before its update, where the step is worth keeping: `marked` (a curve point,
   * the last step) or its outcome class differs from the step before's. `params` is called only then: a
   * backend that holds them on a device reads them back at the steps kept alone.
   */
  record(step: number, lossVal: number, reached: boolean, marked: boolean, params: () => ArrayLike<number>): void {
    const outcome = this.outcomeOf(lossVal, reached);
    const changed = this.outcome !== null && outcome !== this.outcome && this.classChanges < MAX_CLASS_CHANGES;
    if (changed) this.classChanges++;
    this.outcome = outcome;
    if (!marked && !changed) return;
    this.snapshots.step.push(step);
    this.snapshots.params.push(Array.from(params()));
  }
}
