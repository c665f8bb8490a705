// The WGSL of the lockstep trainer: one invocation trains one 1 -> H -> 1 network with a piecewise-linear
// activation for many steps per dispatch, step for step as the fused CPU kernel
// (electron/engine/kernels/fused.ts) and the training loop (electron/engine/train.ts) do, in f32.
// Every group gets its own source: width, batch, slopes, target and optimizer are constants. One file past
// 350 lines on purpose: the shader reads top to bottom beside the CPU kernel it mirrors, as one program.
//
// Precision: the CPU kernel sums moments in f64 and expands the squared error, which cancels badly in f32.
// Here the training loss and the gradient's per-piece sums come from each sample's own residual, and the
// validation loss on the uniform grid from the residual's mean and spread on each stretch where both the
// network and the target are linear: every term is a sum of squares, so nothing cancels.
import { leakSlope, piecewiseLinearNet } from '../model/network.ts';
import type { Group, OptimizerConfig, Target } from '../preset/preset.ts';

/** Model status codes in the state buffer. */
export const RUNNING = 0;
export const REACHED = 1;
export const DIVERGED = 2;
export const CAPPED = 3;

/** Per-model fields of the state buffer (each an array of M words). */
export const STATE_FIELDS = { mtIndex: 0, status: 1, lastStep: 2, lastTrain: 3, lastVal: 4 } as const;
export const STATE_WORDS = 5;
/** Per step of a chunk: lr, momentum, 1 where SGD has no momentum buffer yet, Adam's step size and sqrt(1 - beta2^t). */
export const TABLE_WORDS = 5;
/** Per mark and model: the losses at the mark's step, then min and max of lossTrain and of lossVal up to the next mark. */
export const SEGMENT_WORDS = 6;
export const WORKGROUP = 64;
/** MT19937's state words. */
export const MT_WORDS = 624;

/** Largest number of linear stretches of a target the generated code unrolls. */
const MAX_TARGET_LINES = 64;

/**
 * The target as lines: y = slope[k] x + intercept[k] for x <= breaks[k] (the last line beyond every
 * break). Exact for the step (its two constants, split at the threshold as `x > threshold` splits them);
 * null for targets that are not piecewise linear.
 */
export interface TargetLines {
  breaks: number[];
  slope: number[];
  intercept: number[];
}

function targetLines(target: Target): TargetLines | null {
  switch (target.kind) {
    case 'step':
      return { breaks: [target.threshold], slope: [0, 0], intercept: [target.low, target.high] };
    case 'ramp': {
      const s = (target.high - target.low) / (target.to - target.from);
      return { breaks: [target.from, target.to], slope: [0, s, 0], intercept: [target.low, target.low - s * target.from, target.high] };
    }
    case 'abs':
      return { breaks: [target.center], slope: [-1, 1], intercept: [target.center, -target.center] };
    case 'piecewise-linear': {
      const pts = target.points;
      const slope = [0];
      const intercept = [pts[0][1]];
      for (let k = 1; k < pts.length; k++) {
        const s = (pts[k][1] - pts[k - 1][1]) / (pts[k][0] - pts[k - 1][0]);
        slope.push(s);
        intercept.push(pts[k - 1][1] - s * pts[k - 1][0]);
      }
      slope.push(0);
      intercept.push(pts[pts.length - 1][1]);
      return { breaks: pts.map((p) => p[0]), slope, intercept };
    }
    case 'sine':
      return null;
  }
}

/** Why the GPU kernel cannot train this group, or null when it can. */
export function gpuRefusal(group: Group, target: Target): string | null {
  if (!piecewiseLinearNet(group))
    return `group "${group.name}": the WebGPU kernel trains one hidden layer with a piecewise-linear activation only`;
  if (group.data.kind !== 'fresh')
    return `group "${group.name}": the WebGPU kernel trains on fresh batches only, not ${group.data.kind} data`;
  const lines = targetLines(target);
  if (!lines) return `the WebGPU kernel fits piecewise-linear targets (step, ramp, abs, piecewise-linear), not ${target.kind}`;
  if (lines.slope.length > MAX_TARGET_LINES) return `the WebGPU kernel fits targets of at most ${MAX_TARGET_LINES} linear pieces`;
  return null;
}

/** The largest 24-bit sample u with u * 2^-24 <= x: `x_sample <= x` compared exactly, as integers. */
function sampleBound(x: number): number {
  return Math.min(2 ** 24, Math.max(-1, Math.floor(x * 2 ** 24)));
}

/** How many of the grid's points i / (n - 1) lie at or below x, counted as core/model/target.ts makes them. */
function gridCountUpTo(x: number, n: number): number {
  let k = Math.min(n, Math.max(0, Math.floor(x * (n - 1)) + 1));
  while (k > 0 && (k - 1) / (n - 1) > x) k--;
  while (k < n && k / (n - 1) <= x) k++;
  return k;
}

/** A WGSL f32 literal (abstract-float syntax, so integers get a fraction). */
function f(v: number): string {
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export interface KernelSpec {
  group: Group;
  target: Target;
  gridPoints: number;
  maxSteps: number;
  lossLimit: number;
}

export function trainerWgsl(spec: KernelSpec): string {
  const { group, gridPoints: n, maxSteps, lossLimit } = spec;
  const refusal = gpuRefusal(group, spec.target);
  if (refusal) throw new Error(refusal);
  const lines = targetLines(spec.target)!;
  const h = group.hidden[0];
  const slope = leakSlope(group.activation)!;
  const outSlope = group.outputActivation ? slope : 1;
  const batch = group.data.kind === 'fresh' ? group.data.batchSize : 0;
  const sampleTarget = lines.slope
    .map((s, k) => {
      const value = `${f(s)} * x + ${f(lines.intercept[k])}`;
      return k < lines.breaks.length ? `if (i32(u24) <= ${sampleBound(lines.breaks[k])}) { return ${value}; }` : `return ${value};`;
    })
    .join('\n  ');
  // The grid points on each target line: indices [from, to).
  const gridStretches = lines.slope
    .map((s, k) => {
      const from = k === 0 ? 0 : gridCountUpTo(lines.breaks[k - 1], n);
      const to = k < lines.breaks.length ? gridCountUpTo(lines.breaks[k], n) : n;
      return from < to ? `sum += stretchSse(lo, hi, ${from}u, ${to}u, a, b, ${f(s)}, ${f(lines.intercept[k])});` : '';
    })
    .join('\n  ');
  return `
const H = ${h}u;
const P = ${3 * h + 1}u;
const PIECES = ${2 * h + 2}u;
const B = ${batch}u;
const N = ${n}u;
const SLOPE = ${f(slope)};
const OUT_SLOPE = ${f(outSlope)};
const LIMIT = ${f(lossLimit)};
const MAX_STEPS = ${maxSteps}u;
const GRID_STEP = ${f(1 / (n - 1))};
// Stands in for +-infinity at the ends of the real line.
const BIG = 3.0e38;
const ALWAYS_ACTIVE = -1;
const NEVER_ACTIVE = -2;

struct Uniforms {
  models: u32,
  chunkStart: u32,
  chunkSteps: u32,
  marks: u32,
  traceSteps: u32,
  sampleSteps: u32,
}

@group(0) @binding(0) var<uniform> u: Uniforms;
// Per-model arrays are interleaved: word k of model m at k * models + m.
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> opt: array<f32>;
@group(0) @binding(3) var<storage, read_write> mt: array<u32>;
@group(0) @binding(4) var<storage, read_write> state: array<u32>;
@group(0) @binding(5) var<storage, read> table: array<f32>;
@group(0) @binding(6) var<storage, read> marks: array<u32>;
@group(0) @binding(7) var<storage, read_write> segments: array<f32>;
@group(0) @binding(8) var<storage, read_write> debug: array<f32>;

var<private> model: u32;
var<private> w: array<f32, P>;
var<private> grad: array<f32, P>;
var<private> mtIndex: u32;
var<private> kink: array<f32, H>;
var<private> dir: array<f32, H>;
var<private> order: array<u32, H>;
var<private> kinkPiece: array<i32, H>;
var<private> pieces: u32;
var<private> first: u32;
var<private> last: u32;
var<private> start: array<f32, ${2 * h + 3}>;
var<private> pa: array<f32, PIECES>;
var<private> pb: array<f32, PIECES>;
var<private> outS: array<f32, PIECES>;
// Per piece: sums of the residual and of residual * x over the batch's samples on it.
var<private> r0: array<f32, PIECES>;
var<private> r1: array<f32, PIECES>;
var<private> g0: array<f32, ${2 * h + 3}>;
var<private> g1: array<f32, ${2 * h + 3}>;
var<private> q0: array<f32, ${2 * h + 3}>;
var<private> q1: array<f32, ${2 * h + 3}>;

fn at(k: u32) -> u32 { return k * u.models + model; }

fn mtMix(current: u32, next: u32) -> u32 {
  let y = (current & 0x80000000u) | (next & 0x7fffffffu);
  return (y >> 1u) ^ select(0u, 0x9908b0dfu, (y & 1u) != 0u);
}

fn twist() {
  for (var i = 0u; i < 227u; i++) { mt[at(i)] = mt[at(i + 397u)] ^ mtMix(mt[at(i)], mt[at(i + 1u)]); }
  for (var i = 227u; i < 623u; i++) { mt[at(i)] = mt[at(i - 227u)] ^ mtMix(mt[at(i)], mt[at(i + 1u)]); }
  mt[at(623u)] = mt[at(396u)] ^ mtMix(mt[at(623u)], mt[at(0u)]);
  mtIndex = 0u;
}

// torch.rand's float32 element: the low 24 bits of the tempered word, times 2^-24.
fn nextU24() -> u32 {
  if (mtIndex >= 624u) { twist(); }
  var y = mt[at(mtIndex)];
  mtIndex++;
  y ^= y >> 11u;
  y ^= (y << 7u) & 0x9d2c5680u;
  y ^= (y << 15u) & 0xefc60000u;
  y ^= y >> 18u;
  return y & 0xffffffu;
}

fn targetAt(u24: u32, x: f32) -> f32 {
  ${sampleTarget}
}

fn finite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u; }

fn addPiece(left: f32, A: f32, C: f32, positive: bool) {
  let s = select(OUT_SLOPE, 1.0, positive);
  start[pieces] = left;
  pa[pieces] = s * A;
  pb[pieces] = s * C;
  outS[pieces] = s;
  pieces++;
}

// One segment between hidden kinks, where z = A x + C; split where the output activation bends.
fn addSegment(left: f32, right: f32, A: f32, C: f32) {
  if (OUT_SLOPE != 1.0 && A != 0.0) {
    let root = -C / A;
    if (root > left && root < right) {
      addPiece(left, A, C, A < 0.0);
      addPiece(root, A, C, A > 0.0);
      return;
    }
  }
  var probe: f32;
  if (left == -BIG) { probe = select(right - 1.0, 0.0, right == BIG); }
  else { probe = select((left + right) * 0.5, left + 1.0, right == BIG); }
  addPiece(left, A, C, A * probe + C > 0.0);
}

fn buildPieces() {
  var kinks = 0u;
  var A = 0.0;
  var C = w[3u * H];
  for (var j = 0u; j < H; j++) {
    let w1 = w[j];
    let b1 = w[H + j];
    let w2 = w[2u * H + j];
    var c: f32;
    if (w1 != 0.0) {
      let k = -b1 / w1;
      kink[j] = k;
      dir[j] = select(-1.0, 1.0, w1 > 0.0);
      c = select(1.0, SLOPE, w1 > 0.0);
      var q = kinks;
      kinks++;
      while (q > 0u && kink[order[q - 1u]] > k) {
        order[q] = order[q - 1u];
        q--;
      }
      order[q] = j;
    } else {
      c = select(SLOPE, 1.0, b1 > 0.0);
      kinkPiece[j] = select(NEVER_ACTIVE, ALWAYS_ACTIVE, b1 > 0.0);
    }
    A += w2 * c * w1;
    C += w2 * c * b1;
  }
  pieces = 0u;
  var left = -BIG;
  for (var q = 0u; q <= kinks; q++) {
    var right = BIG;
    if (q < kinks) { right = kink[order[q]]; }
    addSegment(left, right, A, C);
    if (q < kinks) {
      let j = order[q];
      kinkPiece[j] = i32(pieces);
      let change = (1.0 - SLOPE) * w[2u * H + j] * dir[j];
      A += change * w[j];
      C += change * w[H + j];
    }
    left = right;
  }
  start[pieces] = BIG;
  first = 0u;
  while (first + 1u < pieces && start[first + 1u] < 0.0) { first++; }
  last = first;
  while (last + 1u < pieces && start[last + 1u] < 1.0) { last++; }
}

// Mean squared error of the fresh batch, drawn from the model's stream; keeps r0, r1 for backward.
fn trainLoss(i: u32) -> f32 {
  for (var p = first; p <= last; p++) {
    r0[p] = 0.0;
    r1[p] = 0.0;
  }
  var sum = 0.0;
  for (var s = 0u; s < B; s++) {
    let u24 = nextU24();
    let x = f32(u24) * 5.9604644775390625e-8;
    if (i < u.sampleSteps) { debug[2u * u.traceSteps * u.models + (i * B + s) * u.models + model] = x; }
    let y = targetAt(u24, x);
    var p = first;
    while (p < last && x > start[p + 1u]) { p++; }
    let r = pa[p] * x + pb[p] - y;
    r0[p] += r;
    r1[p] += r * x;
    sum += r * r;
  }
  return sum / f32(B);
}

fn countUpTo(t: f32) -> u32 {
  if (!(t >= 0.0)) { return 0u; }
  if (t >= 1.0) { return N; }
  return min(N, u32(floor(t * f32(N - 1u))) + 1u);
}

// Sum of (a x + b - y)^2 over grid points [max(lo, begin), min(hi, end)), where y = s x + c:
// n times the squared residual at their centre, plus the spread of x around it.
fn stretchSse(lo: u32, hi: u32, begin: u32, end: u32, a: f32, b: f32, s: f32, c: f32) -> f32 {
  let l = max(lo, begin);
  let r = min(hi, end);
  if (r <= l) { return 0.0; }
  let n = f32(r - l);
  let alpha = a - s;
  let centre = f32(l + r - 1u) * 0.5 * GRID_STEP;
  let mid = alpha * centre + (b - c);
  let spread = alpha * GRID_STEP;
  return n * mid * mid + spread * spread * n * (n * n - 1.0) / 12.0;
}

fn valLoss() -> f32 {
  var sum = 0.0;
  var lo = countUpTo(start[first]);
  for (var p = first; p <= last; p++) {
    let hi = countUpTo(start[p + 1u]);
    sum += pieceSse(lo, hi, pa[p], pb[p]);
    lo = hi;
  }
  return sum / f32(N);
}

fn pieceSse(lo: u32, hi: u32, a: f32, b: f32) -> f32 {
  var sum = 0.0;
  ${gridStretches}
  return sum;
}

// d loss / dz summed over the pieces left (g0, g1: weighted by x) and right (q0, q1) of each boundary,
// each by its own sums rather than total minus prefix, which would cancel in f32.
fn backward() {
  let scale = 2.0 / f32(B);
  for (var p = 0u; p <= pieces; p++) {
    g0[p] = 0.0;
    g1[p] = 0.0;
    q0[p] = 0.0;
    q1[p] = 0.0;
  }
  for (var p = first; p <= last; p++) {
    let s = scale * outS[p];
    g0[p + 1u] = g0[p] + s * r0[p];
    g1[p + 1u] = g1[p] + s * r1[p];
  }
  for (var p = last; p >= first; p--) {
    let s = scale * outS[p];
    q0[p] = q0[p + 1u] + s * r0[p];
    q1[p] = q1[p + 1u] + s * r1[p];
    if (p == 0u) { break; }
  }
  for (var p = last + 2u; p <= pieces; p++) {
    g0[p] = g0[last + 1u];
    g1[p] = g1[last + 1u];
  }
  for (var p = 0u; p < first; p++) {
    q0[p] = q0[first];
    q1[p] = q1[first];
  }
  let total0 = g0[last + 1u];
  let total1 = g1[last + 1u];
  for (var j = 0u; j < H; j++) {
    let w1 = w[j];
    let b1 = w[H + j];
    let w2 = w[2u * H + j];
    var s0: f32;
    var s1: f32;
    let kp = kinkPiece[j];
    if (kp == ALWAYS_ACTIVE) {
      s0 = total0;
      s1 = total1;
    } else if (kp == NEVER_ACTIVE) {
      s0 = SLOPE * total0;
      s1 = SLOPE * total1;
    } else if (dir[j] > 0.0) {
      s0 = q0[kp] + SLOPE * g0[kp];
      s1 = q1[kp] + SLOPE * g1[kp];
    } else {
      s0 = g0[kp] + SLOPE * q0[kp];
      s1 = g1[kp] + SLOPE * q1[kp];
    }
    grad[j] = w2 * s1;
    grad[H + j] = w2 * s0;
    grad[2u * H + j] = w1 * s1 + b1 * s0;
  }
  grad[3u * H] = total0;
}

${optimizerWgsl(group.optimizer)}

struct Segment { train: f32, val: f32, minTrain: f32, maxTrain: f32, minVal: f32, maxVal: f32 }

fn writeSegment(k: u32, g: Segment) {
  let o = (k * u.models + model) * ${SEGMENT_WORDS}u;
  segments[o] = g.train;
  segments[o + 1u] = g.val;
  segments[o + 2u] = g.minTrain;
  segments[o + 3u] = g.maxTrain;
  segments[o + 4u] = g.minVal;
  segments[o + 5u] = g.maxVal;
}

fn finishChunk(status: u32, step: u32, lossTrain: f32, lossVal: f32) {
  state[at(${STATE_FIELDS.mtIndex}u)] = mtIndex;
  state[at(${STATE_FIELDS.status}u)] = status;
  state[at(${STATE_FIELDS.lastStep}u)] = step;
  state[at(${STATE_FIELDS.lastTrain}u)] = bitcast<u32>(lossTrain);
  state[at(${STATE_FIELDS.lastVal}u)] = bitcast<u32>(lossVal);
  for (var k = 0u; k < P; k++) { params[at(k)] = w[k]; }
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  model = id.x;
  if (model >= u.models || state[at(${STATE_FIELDS.status}u)] != ${RUNNING}u) { return; }
  for (var k = 0u; k < P; k++) { w[k] = params[at(k)]; }
  mtIndex = state[at(${STATE_FIELDS.mtIndex}u)];
  var segment: Segment;
  var mark = 0u;
  var status = ${RUNNING}u;
  var lossTrain = 0.0;
  var lossVal = 0.0;
  var i = u.chunkStart;
  for (var s = 0u; s < u.chunkSteps; s++) {
    i = u.chunkStart + s;
    buildPieces();
    lossTrain = trainLoss(i);
    lossVal = valLoss();
    if (i < u.traceSteps) {
      debug[2u * (i * u.models + model)] = lossTrain;
      debug[2u * (i * u.models + model) + 1u] = lossVal;
    }
    if (mark < u.marks && s == marks[mark]) {
      if (mark > 0u) { writeSegment(mark - 1u, segment); }
      segment = Segment(lossTrain, lossVal, lossTrain, lossTrain, lossVal, lossVal);
      mark++;
    } else {
      // comparisons, not min/max: a NaN never becomes the minimum or maximum, as on the CPU
      if (lossTrain < segment.minTrain) { segment.minTrain = lossTrain; }
      if (lossTrain > segment.maxTrain) { segment.maxTrain = lossTrain; }
      if (lossVal < segment.minVal) { segment.minVal = lossVal; }
      if (lossVal > segment.maxVal) { segment.maxVal = lossVal; }
    }
    if (lossVal <= LIMIT) { status = ${REACHED}u; break; }
    if (!finite(lossTrain) || !finite(lossVal)) { status = ${DIVERGED}u; break; }
    backward();
    update(s);
    if (i == MAX_STEPS - 1u) { status = ${CAPPED}u; break; }
  }
  writeSegment(mark - 1u, segment);
  finishChunk(status, i, lossTrain, lossVal);
}
`;
}

/** torch.optim.SGD / Adam as electron/engine/optim.ts steps them; the step's lr and factors come from the table. */
function optimizerWgsl(config: OptimizerConfig): string {
  const decay = config.weightDecay !== 0 ? ` + ${f(config.weightDecay)} * w[k]` : '';
  if (config.kind === 'sgd') {
    return `
fn update(s: u32) {
  let lr = table[s * ${TABLE_WORDS}u];
  let momentum = table[s * ${TABLE_WORDS}u + 1u];
  let firstStep = table[s * ${TABLE_WORDS}u + 2u] != 0.0;
  for (var k = 0u; k < P; k++) {
    var d = grad[k]${decay};
    if (momentum != 0.0) {
      let o = at(k);
      var buf = d;
      if (!firstStep) { buf = momentum * opt[o] + ${f(1 - config.dampening)} * d; }
      opt[o] = buf;
      ${config.nesterov ? 'd = d + momentum * buf;' : 'd = buf;'}
    }
    w[k] = fma(-lr, d, w[k]);
  }
}`;
  }
  return `
fn update(s: u32) {
  let stepSize = table[s * ${TABLE_WORDS}u + 3u];
  let correction2Sqrt = table[s * ${TABLE_WORDS}u + 4u];
  for (var k = 0u; k < P; k++) {
    let g = grad[k]${decay};
    let om = at(k);
    let ov = at(P + k);
    let m = ${f(config.beta1)} * opt[om] + ${f(1 - config.beta1)} * g;
    let v = ${f(config.beta2)} * opt[ov] + ${f(1 - config.beta2)} * g * g;
    opt[om] = m;
    opt[ov] = v;
    w[k] -= (stepSize * m) / (sqrt(v) / correction2Sqrt + ${f(config.eps)});
  }
}`;
}
