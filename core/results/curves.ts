// Decimated training curves: every step for the first DENSE steps, then log-spaced buckets
// (BUCKETS_PER_DECADE per factor of ten), each kept as its first step's values plus the min and max
// of the losses inside it. Memory stays flat however long a run is (~300 points per million steps).

const DENSE = 100;
const BUCKETS_PER_DECADE = 50;

export interface Curves {
  step: number[];
  lossTrain: number[];
  lossVal: number[];
  lr: number[];
  lossTrainMin: number[];
  lossTrainMax: number[];
  lossValMin: number[];
  lossValMax: number[];
}

const CURVE_FIELDS = ['step', 'lossTrain', 'lossVal', 'lr', 'lossTrainMin', 'lossTrainMax', 'lossValMin', 'lossValMax'] as const;

export function emptyCurves(): Curves {
  return { step: [], lossTrain: [], lossVal: [], lr: [], lossTrainMin: [], lossTrainMax: [], lossValMin: [], lossValMax: [] };
}

/** Appends `more`'s points to `into`, in place (live points arriving in chunks). */
export function appendCurves(into: Curves, more: Curves): void {
  for (const f of CURVE_FIELDS) for (const v of more[f]) into[f].push(v);
}

export class CurveRecorder {
  readonly curves = emptyCurves();
  private bucket = 0;
  private nextBucketAt = 0;
  // The latest step, kept so finish() can end the curve on it.
  private lastStep = -1;
  private lastTrain = 0;
  private lastVal = 0;
  private lastLr = 0;

  /** One step's values; true where the step starts a point of its own. */
  record(step: number, lossTrain: number, lossVal: number, lr: number): boolean {
    this.lastStep = step;
    this.lastTrain = lossTrain;
    this.lastVal = lossVal;
    this.lastLr = lr;
    const c = this.curves;
    if (step >= this.nextBucketAt) {
      this.push(step, lossTrain, lossVal, lr);
      this.bucket++;
      this.nextBucketAt = Math.max(step + 1, bucketStart(this.bucket));
      return true;
    }
    const k = c.step.length - 1;
    if (lossTrain < c.lossTrainMin[k]) c.lossTrainMin[k] = lossTrain;
    if (lossTrain > c.lossTrainMax[k]) c.lossTrainMax[k] = lossTrain;
    if (lossVal < c.lossValMin[k]) c.lossValMin[k] = lossVal;
    if (lossVal > c.lossValMax[k]) c.lossValMax[k] = lossVal;
    return false;
  }

  /** Ends the curve on the last recorded step, so it reaches the run's final values. */
  finish(): void {
    const c = this.curves;
    if (this.lastStep >= 0 && c.step[c.step.length - 1] !== this.lastStep) {
      this.push(this.lastStep, this.lastTrain, this.lastVal, this.lastLr);
    }
  }

  /** Points recorded from index `from` on (for live updates). */
  since(from: number): Curves {
    const c = this.curves;
    const out = emptyCurves();
    for (const f of CURVE_FIELDS) out[f] = c[f].slice(from);
    return out;
  }

  private push(step: number, lossTrain: number, lossVal: number, lr: number): void {
    const c = this.curves;
    c.step.push(step);
    c.lossTrain.push(lossTrain);
    c.lossVal.push(lossVal);
    c.lr.push(lr);
    c.lossTrainMin.push(lossTrain);
    c.lossTrainMax.push(lossTrain);
    c.lossValMin.push(lossVal);
    c.lossValMax.push(lossVal);
  }
}

/**
 * The steps in [from, to) where a CurveRecorder fed every step from 0 starts a point: a trainer that
 * aggregates steps elsewhere (the GPU) must keep these steps' own values.
 */
export function curvePointSteps(from: number, to: number): number[] {
  const steps: number[] = [];
  let next = 0;
  for (let bucket = 0; next < to; bucket++) {
    if (next >= from) steps.push(next);
    next = Math.max(next + 1, bucketStart(bucket + 1));
  }
  return steps;
}

function bucketStart(bucket: number): number {
  if (bucket < DENSE) return bucket;
  return Math.ceil(DENSE * 10 ** ((bucket - DENSE) / BUCKETS_PER_DECADE));
}
