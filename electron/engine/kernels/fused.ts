// The fused kernel for 1 -> H -> 1 networks with piecewise-linear activations (LeakyReLU, ReLU, linear).
// Such a network is exactly linear between its kinks (each hidden unit's zero crossing, and the
// output's own zero crossings), so per linear piece the MSE and its gradient need only the sums of
// (1, x, x^2, y, x*y) of the points on that piece: O(B + H log H) per step instead of O(B * H), and
// validation on a uniform grid is O(H) through prefix sums instead of O(N * H).
// All data (grid, random batches) lies in [0, 1], so only the pieces meeting [0, 1] carry points.
// A training point exactly on a piece boundary (a kink, or the output's root) stays out of the gradient's
// sums: PyTorch takes a pre-activation of exactly 0 as the negative side for every unit, whichever side
// the unit is active on, so its gradient is taken unit by unit (addTies). With xavier or he init every
// kink and the output's root start at x = 0, a grid point (and torch.rand can draw 0).
import type { Batch, PointSet } from '../data.ts';
import { leakSlope } from '../../../core/model/network.ts';
import type { Group } from '../../../core/preset/preset.ts';
import type { Kernel } from './kernel.ts';

/** Per-piece sums of the points on each piece, interleaved: [n, x, x^2, y, x*y] for piece p at 5p. */
const N = 0;
const X = 1;
const XX = 2;
const Y = 3;
const XY = 4;
const STRIDE = 5;

class Moments {
  readonly sums: Float64Array;
  yy = 0;
  count = 0;
  /** Training points on a piece boundary, left out of `sums`: (x, y, the piece whose line gives their loss), flat. */
  readonly ties: number[] = [];
  /** The entries of `ties` in use (kept apart from its length: setting an array's length is slow). */
  tieEnd = 0;
  constructor(maxPieces: number) {
    this.sums = new Float64Array(STRIDE * maxPieces);
  }

  addTie(x: number, y: number, piece: number): void {
    const t = this.tieEnd;
    this.ties[t] = x;
    this.ties[t + 1] = y;
    this.ties[t + 2] = piece;
    this.tieEnd = t + 3;
  }
}

/** Sums of points [lo, hi) of a sorted set into sums[o..o + STRIDE). */
function rangeMoments(points: PointSet, lo: number, hi: number, sums: Float64Array, o: number): void {
  sums[o + N] = hi - lo;
  sums[o + X] = points.sumX[hi] - points.sumX[lo];
  sums[o + XX] = points.sumXX[hi] - points.sumXX[lo];
  sums[o + Y] = points.sumY[hi] - points.sumY[lo];
  sums[o + XY] = points.sumXY[hi] - points.sumXY[lo];
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
  /** The pieces that meet [0, 1]: first..last. */
  private first = 0;
  private last = 0;
  private piecesCurrent = false;
  private readonly start: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly outS: Float64Array;
  private readonly train: Moments;
  private readonly val: Moments;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;

  constructor(
    group: Group,
    readonly params: Float32Array,
    private readonly grid: PointSet,
  ) {
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
    if (batch.points) this.batchMomentsOfPoints(batch.points, this.train);
    else this.momentsOfSamples(batch.x, batch.y, this.train);
    return this.loss(this.train);
  }

  valLoss(): number {
    this.ensurePieces();
    this.momentsOfPoints(this.grid, this.val); // the loss is continuous: a point on a kink needs nothing apart
    return this.loss(this.val);
  }

  backward(): void {
    const { params, grad, hidden: h, slope, a, b, outS, g0, g1, kinkPiece, first, last, pieces } = this;
    const m = this.train.sums;
    // g0[p], g1[p]: prefix sums over pieces < p of d loss / dz and of (d loss / dz) * x.
    const scale = 2 / this.train.count;
    for (let p = 0; p <= first; p++) {
      g0[p] = 0;
      g1[p] = 0;
    }
    for (let p = first; p <= last; p++) {
      const s = scale * outS[p];
      const o = STRIDE * p;
      g0[p + 1] = g0[p] + s * (a[p] * m[o + X] + b[p] * m[o + N] - m[o + Y]);
      g1[p + 1] = g1[p] + s * (a[p] * m[o + XX] + b[p] * m[o + X] - m[o + XY]);
    }
    const total0 = g0[last + 1];
    const total1 = g1[last + 1];
    for (let p = last + 2; p <= pieces; p++) {
      g0[p] = total0;
      g1[p] = total1;
    }
    for (let j = 0; j < h; j++) {
      const w1 = params[j];
      const b1 = params[h + j];
      const w2 = params[2 * h + j];
      // Sums of dz and dz*x weighted by the unit's slope (1 where active, `slope` elsewhere).
      let s0: number;
      let s1: number;
      const kp = kinkPiece[j];
      if (kp === ALWAYS_ACTIVE) {
        s0 = total0;
        s1 = total1;
      } else if (kp === NEVER_ACTIVE) {
        s0 = slope * total0;
        s1 = slope * total1;
      } else {
        const left0 = g0[kp];
        const left1 = g1[kp];
        if (this.dir[j] > 0) {
          s0 = total0 - left0 + slope * left0;
          s1 = total1 - left1 + slope * left1;
        } else {
          s0 = left0 + slope * (total0 - left0);
          s1 = left1 + slope * (total1 - left1);
        }
      }
      grad[j] = w2 * s1;
      grad[h + j] = w2 * s0;
      grad[2 * h + j] = w1 * s1 + b1 * s0;
    }
    grad[3 * h] = total0;
    if (this.train.tieEnd > 0) this.addTies(scale);
    this.piecesCurrent = false; // the optimizer step that follows backward() changes the parameters
  }

  paramsChanged(): void {
    this.piecesCurrent = false;
  }

  private ensurePieces(): void {
    if (!this.piecesCurrent) this.buildPieces();
    this.piecesCurrent = true;
  }

  /** Splits the real line into the pieces on which the network is linear. */
  private buildPieces(): void {
    const { params, hidden: h, slope, kink, dir, order, kinkPiece, start } = this;
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
        while (q > 0 && kink[order[q - 1]] > k) {
          order[q] = order[q - 1];
          q--;
        }
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
    start[this.pieces] = Infinity;
    let first = 0;
    while (start[first + 1] < 0) first++;
    let last = first;
    while (start[last + 1] < 1) last++;
    this.first = first;
    this.last = last;
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
    const { first, last, start } = this;
    let lo = points.countUpTo(start[first]);
    for (let p = first; p <= last; p++) {
      const hi = points.countUpTo(start[p + 1]);
      rangeMoments(points, lo, hi, m.sums, STRIDE * p);
      lo = hi;
    }
    m.yy = points.sumYY;
    m.count = points.length;
  }

  /** momentsOfPoints for a training batch (apart, to keep validation's loop as lean): a point on a boundary goes to m.ties. */
  private batchMomentsOfPoints(points: PointSet, m: Moments): void {
    const { first, last, start } = this;
    const xs = points.x;
    m.tieEnd = 0;
    let lo = points.countUpTo(start[first]);
    for (let p = first; p <= last; p++) {
      const end = points.countUpTo(start[p + 1]);
      let hi = end;
      // countUpTo may put a point on a boundary on either side of it
      for (; lo < hi && xs[lo] === start[p]; lo++) m.addTie(xs[lo], points.y[lo], p);
      for (; hi > lo && xs[hi - 1] === start[p + 1]; hi--) m.addTie(xs[hi - 1], points.y[hi - 1], p);
      rangeMoments(points, lo, hi, m.sums, STRIDE * p);
      lo = end;
    }
    m.yy = points.sumYY;
    m.count = points.length;
  }

  /** Moments of an unsorted batch: each sample is added to the piece it falls on, or to m.ties on a boundary. */
  private momentsOfSamples(xs: Float64Array, ys: Float64Array, m: Moments): void {
    const { start, first, last } = this;
    const sums = m.sums;
    m.count = xs.length;
    m.tieEnd = 0;
    if (first === last) {
      // One linear piece covers [0, 1] (every kink outside it: the line plateau, where the seed's narrow
      // models spend most of their steps): plain sums, kept in registers. No boundary lies in [0, 1), where torch.rand draws.
      let x1 = 0;
      let xx = 0;
      let y1 = 0;
      let xy = 0;
      let yy = 0;
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        const y = ys[i];
        x1 += x;
        xx += x * x;
        y1 += y;
        xy += x * y;
        yy += y * y;
      }
      const o = STRIDE * first;
      sums[o + N] = xs.length;
      sums[o + X] = x1;
      sums[o + XX] = xx;
      sums[o + Y] = y1;
      sums[o + XY] = xy;
      m.yy = yy;
      return;
    }
    sums.fill(0, STRIDE * first, STRIDE * (last + 1));
    let yy = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const y = ys[i];
      yy += y * y;
      let p = first;
      while (x > start[p + 1]) p++;
      if (x === start[p + 1]) {
        m.addTie(x, y, p);
        continue;
      }
      const o = STRIDE * p;
      sums[o + N] += 1;
      sums[o + X] += x;
      sums[o + XX] += x * x;
      sums[o + Y] += y;
      sums[o + XY] += x * y;
    }
    m.yy = yy;
  }

  /**
   * Adds the gradient of the training points on a boundary, evaluated as the direct kernel and PyTorch do:
   * a unit (or the output) whose pre-activation is exactly 0 there takes its negative side's slope.
   */
  private addTies(scale: number): void {
    const { params, grad, hidden: h, slope, outSlope } = this;
    const { ties, tieEnd } = this.train;
    for (let t = 0; t < tieEnd; t += 3) {
      const x = ties[t];
      let z = params[3 * h];
      for (let j = 0; j < h; j++) {
        const zj = params[h + j] + params[j] * x;
        z += params[2 * h + j] * (zj > 0 ? zj : slope * zj);
      }
      const dz = scale * ((z > 0 ? z : outSlope * z) - ties[t + 1]) * (z > 0 ? 1 : outSlope);
      for (let j = 0; j < h; j++) {
        const zj = params[h + j] + params[j] * x;
        const d = dz * params[2 * h + j] * (zj > 0 ? 1 : slope);
        grad[j] += d * x;
        grad[h + j] += d;
        grad[2 * h + j] += dz * (zj > 0 ? zj : slope * zj);
      }
      grad[3 * h] += dz;
    }
  }

  /** Mean squared error from the moments: sum over pieces of (a x + b - y)^2, divided by the count. */
  private loss(m: Moments): number {
    const { a, b, first, last } = this;
    const sums = m.sums;
    let sum = m.yy;
    for (let p = first; p <= last; p++) {
      const o = STRIDE * p;
      const ap = a[p];
      const bp = b[p];
      sum += ap * (ap * sums[o + XX] + 2 * (bp * sums[o + X] - sums[o + XY])) + bp * (bp * sums[o + N] - 2 * sums[o + Y]);
    }
    const { ties, tieEnd } = m;
    for (let t = 0; t < tieEnd; t += 3) {
      const f = a[ties[t + 2]] * ties[t] + b[ties[t + 2]]; // their y^2 is in m.yy
      sum += f * (f - 2 * ties[t + 1]);
    }
    return Math.max(0, sum) / m.count;
  }
}
