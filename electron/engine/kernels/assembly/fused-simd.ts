// The fused kernel (kernels/fused.ts) compiled to WebAssembly with 128-bit SIMD: whole training steps of one
// 1 -> H -> 1 piecewise-linear network, from PyTorch's MT19937 stream to the SGD update. AssemblyScript,
// not hand-written WAT: it is TypeScript's syntax with machine types, so the port reads line for line
// beside fused.ts, and its compiler runs from npm here (build/build-wasm.mjs) with no native toolchain.
// The arithmetic is fused.ts's, in the same order and in float64 (WebAssembly has no fused multiply-add
// unless asked), so where no sample lies exactly on a kink both kernels compute the same bits. SIMD is used
// only where it cannot change a result: the generator's integer twist and tempering.
// There is no allocator: electron/engine/kernels/fused-simd.ts lays out the memory once per worker and
// passes each region's address to setup().
// One export is for timing only: timePart (at the end) runs one part of a step alone, many times, so that
// `npm run bench:simd` can say what share of a step each part costs; the engine never calls it.

// ---- Layout (addresses set by setup) ----
let paramsAt: usize = 0; // f32[3H + 1]: w1, b1, w2, b2 (PyTorch's state_dict order)
let bufferAt: usize = 0; // f32[3H + 1]: SGD's momentum buffer
let gradAt: usize = 0; // f64[3H + 1]
let kinkAt: usize = 0; // f64[H]
let dirAt: usize = 0; // i32[H]
let orderAt: usize = 0; // i32[H]
let kinkPieceAt: usize = 0; // i32[H]
let startAt: usize = 0; // f64[P + 1]: piece p covers (start[p], start[p + 1]]
let aAt: usize = 0; // f64[P]
let bAt: usize = 0; // f64[P]
let outSAt: usize = 0; // f64[P]
let sumsAt: usize = 0; // f64[5P]: per piece n, x, x^2, y, x*y of the batch
let g0At: usize = 0; // f64[P + 1]
let g1At: usize = 0; // f64[P + 1]
let xsAt: usize = 0; // f64[B]
let ysAt: usize = 0; // f64[B]
let tiesAt: usize = 0; // i32[B]: the samples lying exactly on a piece boundary
let mtAt: usize = 0; // u32[624]: the MT19937 state
let gridAt: usize = 0; // f64[4 (n + 1)]: the validation grid's prefix sums of x, x^2, y, x*y
let targetAt: usize = 0; // f64[]: the target's numbers (see target())

// ---- The model and its run ----
let hidden = 0;
let slope = 0.0;
let outSlope = 0.0;
let batch = 0;
let gridN = 0;
let gridYY = 0.0;
let targetKind = 0;
let targetLength = 0;
let dampening = 0.0;
let nesterov = false;
let weightDecay = 0.0;
let hasBuffer = false;
let mtIndex = 624;

// ---- What a step leaves ----
let pieces = 0;
let first = 0;
let last = 0;
let trainYY = 0.0;
let ties = 0;
let lossValue = 0.0;

const STRIDE = 5;
const ALWAYS_ACTIVE = -1;
const NEVER_ACTIVE = -2;
const MT_N = 624;
const MT_M = 397;
const TWO_TO_MINUS_24 = 5.9604644775390625e-8;

export const TARGET_STEP = 0;
export const TARGET_RAMP = 1;
export const TARGET_ABS = 2;
export const TARGET_PIECEWISE = 3;

// prettier-ignore
export function setup(
  params: usize, buffer: usize, grad: usize, kink: usize, dir: usize, order: usize, kinkPiece: usize,
  start: usize, a: usize, b: usize, outS: usize, sums: usize, g0: usize, g1: usize,
  xs: usize, ys: usize, tiesList: usize, mt: usize, grid: usize, target: usize,
): void {
  paramsAt = params; bufferAt = buffer; gradAt = grad; kinkAt = kink; dirAt = dir; orderAt = order;
  kinkPieceAt = kinkPiece; startAt = start; aAt = a; bAt = b; outSAt = outS; sumsAt = sums; g0At = g0;
  g1At = g1; xsAt = xs; ysAt = ys; tiesAt = tiesList; mtAt = mt; gridAt = grid; targetAt = target;
}

/** The experiment's validation grid (its prefix sums already at gridAt) and target (its numbers at targetAt). */
export function setExperiment(points: i32, sumYY: f64, kind: i32, length: i32): void {
  gridN = points;
  gridYY = sumYY;
  targetKind = kind;
  targetLength = length;
}

/** A model of a group starts: its shape, SGD's settings, and the generator's position (its words at mtAt). */
// prettier-ignore
export function startModel(
  h: i32, leak: f64, outputLeak: f64, batchSize: i32,
  sgdDampening: f64, sgdNesterov: bool, sgdWeightDecay: f64, generatorIndex: i32,
): void {
  hidden = h; slope = leak; outSlope = outputLeak; batch = batchSize;
  dampening = sgdDampening; nesterov = sgdNesterov; weightDecay = sgdWeightDecay;
  hasBuffer = false;
  mtIndex = generatorIndex;
}

/** Where the generator stands in its state words, for the stream to continue in JavaScript. */
export function generatorIndex(): i32 {
  return mtIndex;
}

/** The validation loss of the last measure(). */
export function lossVal(): f64 {
  return lossValue;
}

/** MSE on the validation grid at the current parameters. */
export function valLoss(): f64 {
  buildPieces();
  return gridLoss();
}

/** One step's forward: draws the batch (torch.rand, then the target), returns lossTrain; lossVal() after. */
export function measure(): f64 {
  drawBatch();
  buildPieces();
  batchMoments();
  const lossTrain = trainLoss();
  lossValue = gridLoss();
  return lossTrain;
}

/** One step's backward and SGD update with this step's lr and momentum. */
export function update(lr: f64, stepMomentum: f64): void {
  backward();
  sgd(lr, stepMomentum);
}

// ---- PyTorch's generator ----

function mix(current: u32, next: u32): u32 {
  const y = (current & 0x80000000) | (next & 0x7fffffff);
  return (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

function mixV(current: v128, next: v128): v128 {
  const y = v128.or(v128.and(current, i32x4.splat(0x80000000)), v128.and(next, i32x4.splat(0x7fffffff)));
  const odd = i32x4.sub(i32x4.splat(0), v128.and(y, i32x4.splat(1)));
  return v128.xor(i32x4.shr_u(y, 1), v128.and(odd, i32x4.splat(0x9908b0df)));
}

/** MT19937's twist, four words at a time (each group reads its words before it writes them). */
function twist(): void {
  const mt = mtAt;
  let i = 0;
  for (; i + 4 <= MT_N - MT_M; i += 4) {
    const p = mt + ((<usize>i) << 2);
    v128.store(p, v128.xor(v128.load(p + (MT_M << 2)), mixV(v128.load(p), v128.load(p + 4))));
  }
  for (; i < MT_N - MT_M; i++) {
    const p = mt + ((<usize>i) << 2);
    store<u32>(p, load<u32>(p + (MT_M << 2)) ^ mix(load<u32>(p), load<u32>(p + 4)));
  }
  for (; i + 4 <= MT_N - 1; i += 4) {
    const p = mt + ((<usize>i) << 2);
    v128.store(p, v128.xor(v128.load(p - ((MT_N - MT_M) << 2)), mixV(v128.load(p), v128.load(p + 4))));
  }
  for (; i < MT_N - 1; i++) {
    const p = mt + ((<usize>i) << 2);
    store<u32>(p, load<u32>(p - ((MT_N - MT_M) << 2)) ^ mix(load<u32>(p), load<u32>(p + 4)));
  }
  const lastAt = mt + ((MT_N - 1) << 2);
  store<u32>(lastAt, load<u32>(mt + ((MT_M - 1) << 2)) ^ mix(load<u32>(lastAt), load<u32>(mt)));
  mtIndex = 0;
}

function temper(x: u32): u32 {
  let y = x ^ (x >>> 11);
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return y ^ (y >>> 18);
}

function temperV(x: v128): v128 {
  let y = v128.xor(x, i32x4.shr_u(x, 11));
  y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
  y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(0xefc60000)));
  return v128.xor(y, i32x4.shr_u(y, 18));
}

/** inp = torch.rand(B, 1); out = fGoal(inp). */
function drawBatch(): void {
  drawInputs();
  drawTargets();
}

/** inp = torch.rand(B, 1): (u32 & 0xFFFFFF) * 2^-24, four values at a time. */
function drawInputs(): void {
  const scale = f64x2.splat(TWO_TO_MINUS_24);
  const low24 = i32x4.splat(0xffffff);
  let i = 0;
  while (i < batch) {
    if (mtIndex >= MT_N) twist();
    const end = min(batch, i + MT_N - mtIndex);
    let k = mtIndex;
    for (; i + 4 <= end; i += 4) {
      const u = v128.and(temperV(v128.load(mtAt + ((<usize>k) << 2))), low24);
      const p = xsAt + ((<usize>i) << 3);
      v128.store(p, f64x2.mul(f64x2.convert_low_i32x4_u(u), scale));
      v128.store(p + 16, f64x2.mul(f64x2.convert_low_i32x4_u(i32x4.shuffle(u, u, 2, 3, 0, 1)), scale));
      k += 4;
    }
    for (; i < end; i++) {
      store<f64>(xsAt + ((<usize>i) << 3), <f64>(temper(load<u32>(mtAt + ((<usize>k) << 2))) & 0xffffff) * TWO_TO_MINUS_24);
      k++;
    }
    mtIndex = k;
  }
}

/** out = fGoal(inp). */
function drawTargets(): void {
  for (let j = 0; j < batch; j++) store<f64>(ysAt + ((<usize>j) << 3), target(load<f64>(xsAt + ((<usize>j) << 3))));
}

function targetAtIndex(k: i32): f64 {
  return load<f64>(targetAt + ((<usize>k) << 3));
}

/** core/model/target.ts's functions, operation for operation. */
function target(x: f64): f64 {
  switch (targetKind) {
    case TARGET_STEP: // threshold, low, high
      return x > targetAtIndex(0) ? targetAtIndex(2) : targetAtIndex(1);
    case TARGET_RAMP: {
      // from, to, low, high
      const from = targetAtIndex(0);
      const to = targetAtIndex(1);
      const low = targetAtIndex(2);
      const high = targetAtIndex(3);
      return x <= from ? low : x >= to ? high : low + ((high - low) * (x - from)) / (to - from);
    }
    case TARGET_ABS: // center
      return abs(x - targetAtIndex(0));
    default: {
      // the points' xs, then their ys
      const n = targetLength >> 1;
      const lastK = n - 1;
      if (x <= targetAtIndex(0)) return targetAtIndex(n);
      if (x >= targetAtIndex(lastK)) return targetAtIndex(n + lastK);
      let k = 1;
      while (targetAtIndex(k) < x) k++;
      const x0 = targetAtIndex(k - 1);
      const y0 = targetAtIndex(n + k - 1);
      return y0 + ((targetAtIndex(n + k) - y0) * (x - x0)) / (targetAtIndex(k) - x0);
    }
  }
}

// ---- The pieces (fused.ts's buildPieces, addSegment, addPiece) ----

function f64At(base: usize, k: i32): f64 {
  return load<f64>(base + ((<usize>k) << 3));
}
function setF64(base: usize, k: i32, v: f64): void {
  store<f64>(base + ((<usize>k) << 3), v);
}
function i32At(base: usize, k: i32): i32 {
  return load<i32>(base + ((<usize>k) << 2));
}
function setI32(base: usize, k: i32, v: i32): void {
  store<i32>(base + ((<usize>k) << 2), v);
}
function param(k: i32): f64 {
  return <f64>load<f32>(paramsAt + ((<usize>k) << 2));
}

function buildPieces(): void {
  const h = hidden;
  let kinks = 0;
  let A = 0.0;
  let C = param(3 * h);
  for (let j = 0; j < h; j++) {
    const w1 = param(j);
    const b1 = param(h + j);
    const w2 = param(2 * h + j);
    let c: f64;
    if (w1 != 0) {
      const k = -b1 / w1;
      setF64(kinkAt, j, k);
      setI32(dirAt, j, w1 > 0 ? 1 : -1);
      c = w1 > 0 ? slope : 1;
      let q = kinks++;
      while (q > 0 && f64At(kinkAt, i32At(orderAt, q - 1)) > k) {
        setI32(orderAt, q, i32At(orderAt, q - 1));
        q--;
      }
      setI32(orderAt, q, j);
    } else {
      c = b1 > 0 ? 1 : slope;
      setI32(kinkPieceAt, j, b1 > 0 ? ALWAYS_ACTIVE : NEVER_ACTIVE);
    }
    A += w2 * c * w1;
    C += w2 * c * b1;
  }
  pieces = 0;
  let left = -Infinity;
  for (let q = 0; q <= kinks; q++) {
    const right = q < kinks ? f64At(kinkAt, i32At(orderAt, q)) : Infinity;
    addSegment(left, right, A, C);
    if (q < kinks) {
      const j = i32At(orderAt, q);
      setI32(kinkPieceAt, j, pieces);
      const change = (1 - slope) * param(2 * h + j) * <f64>i32At(dirAt, j);
      A += change * param(j);
      C += change * param(h + j);
    }
    left = right;
  }
  setF64(startAt, pieces, Infinity);
  let f = 0;
  while (f64At(startAt, f + 1) < 0) f++;
  let l = f;
  while (f64At(startAt, l + 1) < 1) l++;
  first = f;
  last = l;
}

function addSegment(left: f64, right: f64, A: f64, C: f64): void {
  if (outSlope != 1 && A != 0) {
    const root = -C / A;
    if (root > left && root < right) {
      addPiece(left, A, C, A < 0);
      addPiece(root, A, C, A > 0);
      return;
    }
  }
  const probe = left == -Infinity ? (right == Infinity ? 0 : right - 1) : right == Infinity ? left + 1 : (left + right) / 2;
  addPiece(left, A, C, A * probe + C > 0);
}

function addPiece(start: f64, A: f64, C: f64, positive: bool): void {
  const p = pieces++;
  const s = positive ? 1 : outSlope;
  setF64(startAt, p, start);
  setF64(aAt, p, s * A);
  setF64(bAt, p, s * C);
  setF64(outSAt, p, s);
}

// ---- Moments and losses (fused.ts's momentsOfSamples, momentsOfPoints, loss) ----

/**
 * The batch's sums per piece. A sample exactly on a boundary (a hidden unit's or the output's
 * pre-activation exactly 0 there) is kept aside: backward() takes PyTorch's side for it.
 */
function batchMoments(): void {
  const n = batch;
  ties = 0;
  if (first == last) {
    let x1 = 0.0;
    let xx = 0.0;
    let y1 = 0.0;
    let xy = 0.0;
    let yy = 0.0;
    for (let i = 0; i < n; i++) {
      const x = f64At(xsAt, i);
      const y = f64At(ysAt, i);
      x1 += x;
      xx += x * x;
      y1 += y;
      xy += x * y;
      yy += y * y;
    }
    const o = sumsAt + ((<usize>STRIDE * first) << 3);
    store<f64>(o, <f64>n);
    store<f64>(o + 8, x1);
    store<f64>(o + 16, xx);
    store<f64>(o + 24, y1);
    store<f64>(o + 32, xy);
    trainYY = yy;
    return;
  }
  memory.fill(sumsAt + ((<usize>STRIDE * first) << 3), 0, (<usize>STRIDE * (last - first + 1)) << 3);
  let yy = 0.0;
  for (let i = 0; i < n; i++) {
    const x = f64At(xsAt, i);
    const y = f64At(ysAt, i);
    let p = first;
    while (x > f64At(startAt, p + 1)) p++;
    if (x == f64At(startAt, p + 1)) {
      setI32(tiesAt, ties++, i);
      continue;
    }
    const o = sumsAt + ((<usize>STRIDE * p) << 3);
    store<f64>(o, load<f64>(o) + 1);
    store<f64>(o + 8, load<f64>(o + 8) + x);
    store<f64>(o + 16, load<f64>(o + 16) + x * x);
    store<f64>(o + 24, load<f64>(o + 24) + y);
    store<f64>(o + 32, load<f64>(o + 32) + x * y);
    yy += y * y;
  }
  trainYY = yy;
}

/** The training MSE: the pieces' sums, then each sample on a boundary evaluated on its own. */
function trainLoss(): f64 {
  let sum = trainYY;
  for (let p = first; p <= last; p++) {
    const o = sumsAt + ((<usize>STRIDE * p) << 3);
    const ap = f64At(aAt, p);
    const bp = f64At(bAt, p);
    sum +=
      ap * (ap * load<f64>(o + 16) + 2 * (bp * load<f64>(o + 8) - load<f64>(o + 32))) + bp * (bp * load<f64>(o) - 2 * load<f64>(o + 24));
  }
  for (let t = 0; t < ties; t++) {
    const i = i32At(tiesAt, t);
    const r = tiePrediction(f64At(xsAt, i)) - f64At(ysAt, i);
    sum += r * r;
  }
  return max(0, sum) / <f64>batch;
}

/** The uniform grid's count of points at or below t (PointSet.countUpTo). */
function gridCountUpTo(t: f64): i32 {
  if (!(t >= 0)) return 0;
  if (t >= 1) return gridN;
  return <i32>floor(t * <f64>(gridN - 1)) + 1;
}

/** The validation MSE from the grid's prefix sums, piece by piece. */
function gridLoss(): f64 {
  const stride = (<usize>(gridN + 1)) << 3;
  const sx = gridAt;
  const sxx = gridAt + stride;
  const sy = gridAt + 2 * stride;
  const sxy = gridAt + 3 * stride;
  let sum = gridYY;
  let lo = gridCountUpTo(f64At(startAt, first));
  for (let p = first; p <= last; p++) {
    const hi = gridCountUpTo(f64At(startAt, p + 1));
    const n = <f64>(hi - lo);
    const x = f64At(sx, hi) - f64At(sx, lo);
    const xx = f64At(sxx, hi) - f64At(sxx, lo);
    const y = f64At(sy, hi) - f64At(sy, lo);
    const xy = f64At(sxy, hi) - f64At(sxy, lo);
    const ap = f64At(aAt, p);
    const bp = f64At(bAt, p);
    sum += ap * (ap * xx + 2 * (bp * x - xy)) + bp * (bp * n - 2 * y);
    lo = hi;
  }
  return max(0, sum) / <f64>gridN;
}

// ---- Samples on a boundary: PyTorch's side ----

/** Unit j's slope at x, where a pre-activation exactly 0 (x on its kink) takes the negative side, as PyTorch's LeakyReLU backward does. */
function unitSlope(j: i32, x: f64): f64 {
  const w1 = param(j);
  if (w1 == 0) return param(hidden + j) > 0 ? 1 : slope;
  const k = f64At(kinkAt, j);
  if (x == k) return slope;
  return w1 > 0 == x > k ? 1 : slope;
}

/** The output's pre-activation at x, unit by unit. */
function tiePreActivation(x: f64): f64 {
  const h = hidden;
  let z = param(3 * h);
  for (let j = 0; j < h; j++) z += param(2 * h + j) * unitSlope(j, x) * (param(j) * x + param(h + j));
  return z;
}

function outputSlope(z: f64): f64 {
  return z > 0 ? 1 : outSlope;
}

function tiePrediction(x: f64): f64 {
  const z = tiePreActivation(x);
  return outputSlope(z) * z;
}

// ---- Backward (fused.ts's backward) and torch.optim.SGD (optim.ts) ----

function backward(): void {
  const h = hidden;
  const scale = 2 / <f64>batch;
  for (let p = 0; p <= first; p++) {
    setF64(g0At, p, 0);
    setF64(g1At, p, 0);
  }
  for (let p = first; p <= last; p++) {
    const s = scale * f64At(outSAt, p);
    const o = sumsAt + ((<usize>STRIDE * p) << 3);
    const ap = f64At(aAt, p);
    const bp = f64At(bAt, p);
    setF64(g0At, p + 1, f64At(g0At, p) + s * (ap * load<f64>(o + 8) + bp * load<f64>(o) - load<f64>(o + 24)));
    setF64(g1At, p + 1, f64At(g1At, p) + s * (ap * load<f64>(o + 16) + bp * load<f64>(o + 8) - load<f64>(o + 32)));
  }
  const total0 = f64At(g0At, last + 1);
  const total1 = f64At(g1At, last + 1);
  for (let p = last + 2; p <= pieces; p++) {
    setF64(g0At, p, total0);
    setF64(g1At, p, total1);
  }
  for (let j = 0; j < h; j++) {
    const w1 = param(j);
    const b1 = param(h + j);
    const w2 = param(2 * h + j);
    let s0: f64;
    let s1: f64;
    const kp = i32At(kinkPieceAt, j);
    if (kp == ALWAYS_ACTIVE) {
      s0 = total0;
      s1 = total1;
    } else if (kp == NEVER_ACTIVE) {
      s0 = slope * total0;
      s1 = slope * total1;
    } else {
      const left0 = f64At(g0At, kp);
      const left1 = f64At(g1At, kp);
      if (i32At(dirAt, j) > 0) {
        s0 = total0 - left0 + slope * left0;
        s1 = total1 - left1 + slope * left1;
      } else {
        s0 = left0 + slope * (total0 - left0);
        s1 = left1 + slope * (total1 - left1);
      }
    }
    setF64(gradAt, j, w2 * s1);
    setF64(gradAt, h + j, w2 * s0);
    setF64(gradAt, 2 * h + j, w1 * s1 + b1 * s0);
  }
  setF64(gradAt, 3 * h, total0);
  for (let t = 0; t < ties; t++) {
    const i = i32At(tiesAt, t);
    const x = f64At(xsAt, i);
    const z = tiePreActivation(x);
    const out = outputSlope(z);
    const dz = scale * (out * z - f64At(ysAt, i)) * out;
    for (let j = 0; j < h; j++) {
      const s = unitSlope(j, x);
      const w2 = param(2 * h + j);
      setF64(gradAt, j, f64At(gradAt, j) + dz * w2 * s * x);
      setF64(gradAt, h + j, f64At(gradAt, h + j) + dz * w2 * s);
      setF64(gradAt, 2 * h + j, f64At(gradAt, 2 * h + j) + dz * s * (param(j) * x + param(h + j)));
    }
    setF64(gradAt, 3 * h, f64At(gradAt, 3 * h) + dz);
  }
}

function sgd(lr: f64, stepMomentum: f64): void {
  const size = 3 * hidden + 1;
  const first = !hasBuffer;
  if (stepMomentum != 0) hasBuffer = true;
  for (let k = 0; k < size; k++) {
    const pAt = paramsAt + ((<usize>k) << 2);
    const bAt = bufferAt + ((<usize>k) << 2);
    let d = f64At(gradAt, k);
    if (weightDecay != 0) d += weightDecay * <f64>load<f32>(pAt);
    if (stepMomentum != 0) {
      store<f32>(bAt, <f32>(first ? d : stepMomentum * <f64>load<f32>(bAt) + (1 - dampening) * d));
      d = nesterov ? d + stepMomentum * <f64>load<f32>(bAt) : <f64>load<f32>(bAt);
    }
    store<f32>(pAt, <f32>(<f64>load<f32>(pAt) - lr * d));
  }
}

// ---- Timing only ----
// test/bench/fused-simd.ts's breakdown of a step: timePart runs one part of the step `n` times over the state
// the last step left, so that the bench can time each part from JavaScript without a call per repetition.
// The engine never calls it, and the step's own functions are the ones above, unchanged. The draws move the
// generator on (timePart puts its index back, FusedSimdSteps.timePart its words); the update runs with lr 0,
// which leaves the parameters as they are at the cost of the same operations (with momentum, SGD's buffer
// still moves: the bench's model only). The sum it returns keeps the compiler from dropping unread losses.

export const PART_INPUTS = 0; // torch.rand: MT19937 and the uint -> float conversion
export const PART_TARGETS = 1; // torch.rand and fGoal
export const PART_PIECES = 2; // the kinks, sorted, and the pieces
export const PART_MOMENTS = 3; // a batch drawn and bucketed into the pieces' sums
export const PART_TRAIN_LOSS = 4;
export const PART_VAL_LOSS = 5;
export const PART_BACKWARD = 6;
export const PART_SGD = 7;
export const PART_STEP = 8; // measure() and update() whole, as the engine calls them

export function timePart(part: i32, n: i32, stepMomentum: f64): f64 {
  const index = mtIndex;
  let sum = 0.0;
  for (let r = 0; r < n; r++) {
    switch (part) {
      case PART_INPUTS:
        drawInputs();
        break;
      case PART_TARGETS: // with fresh inputs, as in a step (the bench takes PART_INPUTS off)
        drawInputs();
        drawTargets();
        break;
      case PART_PIECES:
        buildPieces();
        break;
      case PART_MOMENTS: // with a fresh batch, not one the branch predictor has learnt (less PART_TARGETS)
        drawBatch();
        batchMoments();
        break;
      case PART_TRAIN_LOSS:
        sum += trainLoss();
        break;
      case PART_VAL_LOSS:
        sum += gridLoss();
        break;
      case PART_BACKWARD:
        backward();
        break;
      case PART_SGD:
        sgd(0, stepMomentum);
        break;
      default:
        sum += measure();
        update(0, stepMomentum);
    }
  }
  mtIndex = index;
  return sum;
}
