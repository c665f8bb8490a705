// The fused kernel for 1 -> H -> 1 networks with piecewise-linear activations (LeakyReLU, ReLU, linear).
// Such a network is exactly linear between its kinks (each hidden unit's zero crossing, and the
// output's own zero crossings), so per linear piece the MSE and its gradient need only the sums of
// (1, x, x^2, y, x*y) of the points on that piece: O(B + H log H) per step instead of O(B * H), and
// validation on a uniform grid is O(H) through prefix sums instead of O(N * H).
import type { Batch, PointSet } from '../data.ts';
import { leakSlope } from '../network.ts';
import type { Group } from '../preset.ts';
import type { Kernel } from './kernel.ts';

/** Whether the fused kernel computes this group's network exactly. */
export function fusedSupports(group: Group): boolean {
  return group.hidden.length === 1 && leakSlope(group.activation) !== null;
}

/** Per-piece sums of the points that fall on each linear piece. */
class Moments {
  readonly n: Float64Array;
  readonly x: Float64Array;
  readonly xx: Float64Array;
  readonly y: Float64Array;
  readonly xy: Float64Array;
  yy = 0;
  count = 0;

  constructor(maxPieces: number) {
    this.n = new Float64Array(maxPieces);
    this.x = new Float64Array(maxPieces);
    this.xx = new Float64Array(maxPieces);
    this.y = new Float64Array(maxPieces);
    this.xy = new Float64Array(maxPieces);
  }
}

const ALWAYS_ACTIVE = -1;
const NEVER_ACTIVE = -2;

export class FusedKernel implements Kernel {
  readonly grad: Float64Array;
  private readonly hidden: number;
  private readonly slope: number;
  private readonly outSlope: number;
  // Hidden units: kink position, +1 when active right of it, -1 when active left of it.
  private readonly kink: Float64Array;
  private readonly dir: Int8Array;
  private readonly order: Int32Array;
  /** Per unit: index of the first piece right of its kink, or ALWAYS_ACTIVE / NEVER_ACTIVE. */
  private readonly kinkPiece: Int32Array;
  // Pieces: piece p covers (start[p], start[p+1]]; prediction = a[p] x + b[p]; outS[p] = d act / dz there.
  private pieces = 0;
  private piecesCurrent = false;
  private readonly start: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly outS: Float64Array;
  private readonly train: Moments;
  private readonly val: Moments;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;

  constructor(group: Group, readonly params: Float32Array, private readonly grid: PointSet) {
    const h = group.hidden[0];
    this.hidden = h;
    this.slope = leakSlope(group.activation)!;
    this.outSlope = group.outputActivation ? this.slope : 1;
    this.grad = new Float64Array(params.length);
    this.kink = new Float64Array(h);
    this.dir = new Int8Array(h);
    this.order = new Int32Array(h);
    this.kinkPiece = new Int32Array(h);
    const maxPieces = 2 * h + 2;
    this.start = new Float64Array(maxPieces + 1);
    this.a = new Float64Array(maxPieces);
    this.b = new Float64Array(maxPieces);
    this.outS = new Float64Array(maxPieces);
    this.train = new Moments(maxPieces);
    this.val = new Moments(maxPieces);
    this.g0 = new Float64Array(maxPieces + 1);
    this.g1 = new Float64Array(maxPieces + 1);
  }

  trainLoss(batch: Batch): number {
    this.ensurePieces();
    if (batch.points) this.momentsOfPoints(batch.points, this.train);
    else this.momentsOfSamples(batch.x, batch.y, this.train);
    return this.loss(this.train);
  }

  valLoss(): number {
    this.ensurePieces();
    this.momentsOfPoints(this.grid, this.val);
    return this.loss(this.val);
  }

  backward(): void {
    const { params, grad, hidden: h, slope, train: m, a, b, outS, g0, g1, kinkPiece } = this;
    const pieces = this.pieces;
    // g0[p], g1[p]: prefix sums over pieces < p of d loss / dz and of (d loss / dz) * x.
    const scale = 2 / m.count;
    for (let p = 0; p < pieces; p++) {
      const s = scale * outS[p];
      g0[p + 1] = g0[p] + s * (a[p] * m.x[p] + b[p] * m.n[p] - m.y[p]);
      g1[p + 1] = g1[p] + s * (a[p] * m.xx[p] + b[p] * m.x[p] - m.xy[p]);
    }
    const total0 = g0[pieces];
    const total1 = g1[pieces];
    for (let j = 0; j < h; j++) {
      const w1 = params[j];
      const b1 = params[h + j];
      const w2 = params[2 * h + j];
      // Sums of dz and dz*x weighted by the unit's slope (1 where active, `slope` elsewhere).
      let s0: number;
      let s1: number;
      const kp = kinkPiece[j];
      if (kp === ALWAYS_ACTIVE) { s0 = total0; s1 = total1; }
      else if (kp === NEVER_ACTIVE) { s0 = slope * total0; s1 = slope * total1; }
      else {
        const left0 = g0[kp];
        const left1 = g1[kp];
        if (this.dir[j] > 0) { s0 = total0 - left0 + slope * left0; s1 = total1 - left1 + slope * left1; }
        else { s0 = left0 + slope * (total0 - left0); s1 = left1 + slope * (total1 - left1); }
      }
      grad[j] = w2 * s1;
      grad[h + j] = w2 * s0;
      grad[2 * h + j] = w1 * s1 + b1 * s0;
    }
    grad[3 * h] = total0;
    this.piecesCurrent = false; // the optimizer step that follows backward() changes the parameters
  }

  private ensurePieces(): void {
    if (!this.piecesCurrent) this.buildPieces();
    this.piecesCurrent = true;
  }

  /** Splits the real line into the pieces on which the network is linear. */
  private buildPieces(): void {
    const { params, hidden: h, slope, kink, dir, order, kinkPiece } = this;
    let kinks = 0;
    let A = 0;
    let C = params[3 * h];
    for (let j = 0; j < h; j++) {
      const w1 = params[j];
      const b1 = params[h + j];
      const w2 = params[2 * h + j];
      let c: number; // the unit's slope left of every kink
      if (w1 !== 0) {
        const k = -b1 / w1;
        kink[j] = k;
        dir[j] = w1 > 0 ? 1 : -1;
        c = w1 > 0 ? slope : 1;
        let q = kinks++;
        while (q > 0 && kink[order[q - 1]] > k) { order[q] = order[q - 1]; q--; }
        order[q] = j;
      } else {
        c = b1 > 0 ? 1 : slope;
        kinkPiece[j] = b1 > 0 ? ALWAYS_ACTIVE : NEVER_ACTIVE;
      }
      A += w2 * c * w1;
      C += w2 * c * b1;
    }
    this.pieces = 0;
    let left = -Infinity;
    for (let q = 0; q <= kinks; q++) {
      const right = q < kinks ? kink[order[q]] : Infinity;
      this.addSegment(left, right, A, C);
      if (q < kinks) {
        const j = order[q];
        kinkPiece[j] = this.pieces;
        const w2 = params[2 * h + j];
        const change = (1 - slope) * w2 * dir[j]; // crossing the kink moves the unit's slope to 1 or to `slope`
        A += change * params[j];
        C += change * params[h + j];
      }
      left = right;
    }
    this.start[this.pieces] = Infinity;
  }

  /** One segment between hidden kinks, where z = A x + C; split where the output activation bends. */
  private addSegment(left: number, right: number, A: number, C: number): void {
    if (this.outSlope !== 1 && A !== 0) {
      const root = -C / A;
      if (root > left && root < right) {
        this.addPiece(left, A, C, A < 0);
        this.addPiece(root, A, C, A > 0);
        return;
      }
    }
    const probe = left === -Infinity ? (right === Infinity ? 0 : right - 1) : right === Infinity ? left + 1 : (left + right) / 2;
    this.addPiece(left, A, C, A * probe + C > 0);
  }

  private addPiece(start: number, A: number, C: number, positive: boolean): void {
    const p = this.pieces++;
    const s = positive ? 1 : this.outSlope;
    this.start[p] = start;
    this.a[p] = s * A;
    this.b[p] = s * C;
    this.outS[p] = s;
  }

  /** Moments of a sorted point set, from its prefix sums. */
  private momentsOfPoints(points: PointSet, m: Moments): void {
    let lo = 0;
    for (let p = 0; p < this.pieces; p++) {
      const hi = p + 1 < this.pieces ? points.countUpTo(this.start[p + 1]) : points.length;
      m.n[p] = hi - lo;
      m.x[p] = points.sumX[hi] - points.sumX[lo];
      m.xx[p] = points.sumXX[hi] - points.sumXX[lo];
      m.y[p] = points.sumY[hi] - points.sumY[lo];
      m.xy[p] = points.sumXY[hi] - points.sumXY[lo];
      lo = hi;
    }
    m.yy = points.sumYY;
    m.count = points.length;
  }

  /** Moments of an unsorted batch: each sample is added to the piece it falls on. */
  private momentsOfSamples(xs: Float64Array, ys: Float64Array, m: Moments): void {
    const { start } = this;
    const pieces = this.pieces;
    // Samples lie in [0, 1]: skip the pieces left of 0 once, not per sample.
    let first = 0;
    while (first + 1 < pieces && start[first + 1] < 0) first++;
    for (let p = 0; p < pieces; p++) { m.n[p] = 0; m.x[p] = 0; m.xx[p] = 0; m.y[p] = 0; m.xy[p] = 0; }
    let yy = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const y = ys[i];
      let p = first;
      while (x > start[p + 1]) p++;
      m.n[p]++;
      m.x[p] += x;
      m.xx[p] += x * x;
      m.y[p] += y;
      m.xy[p] += x * y;
      yy += y * y;
    }
    m.yy = yy;
    m.count = xs.length;
  }

  /** Mean squared error from the moments: sum over pieces of (a x + b - y)^2, divided by the count. */
  private loss(m: Moments): number {
    const { a, b } = this;
    let sum = m.yy;
    for (let p = 0; p < this.pieces; p++) {
      const ap = a[p];
      const bp = b[p];
      sum += ap * (ap * m.xx[p] + 2 * (bp * m.x[p] - m.xy[p])) + bp * (bp * m.n[p] - 2 * m.y[p]);
    }
    return sum / m.count;
  }
}
