// Training batches (fresh each step, one fixed batch, or the grid) and sorted point sets with
// prefix moments, which give exact sums of (1, x, x^2, y, xy) over any x-interval in O(log n).
import type { Group } from '../../core/preset/preset.ts';
import type { TorchGenerator } from './rng.ts';
import type { Grid, TargetFn } from '../../core/model/target.ts';

export interface Batch {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Set for batches that never change: their moments are precomputed. */
  readonly points: PointSet | null;
}

/** Sorted points with prefix sums of 1, x, x^2, y, x*y (index k holds the sum over points < k). */
export class PointSet {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly sumX: Float64Array;
  readonly sumXX: Float64Array;
  readonly sumY: Float64Array;
  readonly sumXY: Float64Array;
  readonly sumYY: number;

  constructor(
    xs: Float64Array,
    ys: Float64Array,
    private readonly uniform: boolean,
  ) {
    const order = Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b]);
    const n = xs.length;
    this.x = Float64Array.from(order, (k) => xs[k]);
    this.y = Float64Array.from(order, (k) => ys[k]);
    this.sumX = new Float64Array(n + 1);
    this.sumXX = new Float64Array(n + 1);
    this.sumY = new Float64Array(n + 1);
    this.sumXY = new Float64Array(n + 1);
    let yy = 0;
    for (let k = 0; k < n; k++) {
      const x = this.x[k];
      const y = this.y[k];
      this.sumX[k + 1] = this.sumX[k] + x;
      this.sumXX[k + 1] = this.sumXX[k] + x * x;
      this.sumY[k + 1] = this.sumY[k] + y;
      this.sumXY[k + 1] = this.sumXY[k] + x * y;
      yy += y * y;
    }
    this.sumYY = yy;
  }

  get length(): number {
    return this.x.length;
  }

  /**
   * How many points lie at or below t. On the uniform grid it is computed, elsewhere searched;
   * a point exactly at a kink may fall on either side, which is harmless: the model is continuous.
   */
  countUpTo(t: number): number {
    const n = this.x.length;
    if (!(t >= this.x[0])) return 0;
    if (t >= this.x[n - 1]) return n;
    if (this.uniform) return Math.floor(t * (n - 1)) + 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.x[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function gridPoints(grid: Grid): PointSet {
  return new PointSet(grid.x, grid.y, true);
}

/**
 * Draws and discards the batches of a model's steps after `lastStep` up to the cap: PyTorch would have drawn
 * them, so a shared torch stream stays where PyTorch would have it for the models after this one.
 */
export function discardRemaining(rng: TorchGenerator, drawsPerStep: number, lastStep: number, maxSteps: number): void {
  rng.discard((maxSteps - 1 - lastStep) * drawsPerStep);
}

/** The training data of one model: next() draws the step's batch as the seed does. */
export class TrainingData {
  readonly batch: Batch;
  private readonly fresh: boolean;

  constructor(
    group: Group,
    private readonly rng: TorchGenerator,
    private readonly target: TargetFn,
    grid: Grid,
    gridSet: PointSet,
  ) {
    const data = group.data;
    if (data.kind === 'grid') {
      this.batch = { x: grid.x, y: grid.y, points: gridSet };
      this.fresh = false;
    } else {
      const x = new Float64Array(data.batchSize);
      const y = new Float64Array(data.batchSize);
      this.fresh = data.kind === 'fresh';
      if (!this.fresh) this.draw(x, y); // one fixed batch, drawn when the model starts training
      this.batch = { x, y, points: this.fresh ? null : new PointSet(x, y, false) };
    }
  }

  /** Values one step draws from the stream. */
  get drawsPerStep(): number {
    return this.fresh ? this.batch.x.length : 0;
  }

  /** discardRemaining on this model's stream. */
  discardRemaining(lastStep: number, maxSteps: number): void {
    discardRemaining(this.rng, this.drawsPerStep, lastStep, maxSteps);
  }

  next(): Batch {
    if (this.fresh) this.draw(this.batch.x as Float64Array, this.batch.y as Float64Array);
    return this.batch;
  }

  private draw(x: Float64Array, y: Float64Array): void {
    this.rng.fillRand(x); // inp = torch.rand(B, 1)
    for (let i = 0; i < x.length; i++) y[i] = this.target(x[i]); // out = fGoal(inp)
  }
}
