// An MLP 1 -> hidden... -> 1 with PyTorch's parameter layout: its shape, its output, its kinks.
import { activationFn } from './activation.ts';
import type { Activation, Group } from '../preset/preset.ts';

/** Layer l maps widths[l] inputs to widths[l + 1] outputs; weight is row-major [out][in] as nn.Linear. */
export interface Shape {
  readonly widths: readonly number[];
  /** offsets into the flat parameter vector: weight of layer l at weightAt[l], its bias right after. */
  readonly weightAt: readonly number[];
  readonly biasAt: readonly number[];
  readonly size: number;
}

export function shapeOf(hidden: readonly number[]): Shape {
  const widths = [1, ...hidden, 1];
  const weightAt: number[] = [];
  const biasAt: number[] = [];
  let size = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    weightAt.push(size);
    size += widths[l] * widths[l + 1];
    biasAt.push(size);
    size += widths[l + 1];
  }
  return { widths, weightAt, biasAt, size };
}

/** Negative-side slope of a piecewise-linear activation, or null for smooth ones. */
export function leakSlope(act: Activation): number | null {
  switch (act.kind) {
    case 'leaky_relu':
      return act.negativeSlope;
    case 'relu':
      return 0;
    case 'linear':
      return 1;
    default:
      return null;
  }
}

/** A 1 → H → 1 network with a piecewise-linear activation: what the fused and WebGPU kernels train exactly. */
export function piecewiseLinearNet(group: Group): boolean {
  return group.hidden.length === 1 && leakSlope(group.activation) !== null;
}

/** The network's output at each x (for drawing the fitted function; training uses the kernels). */
export function predict(group: Group, params: ArrayLike<number>, xs: readonly number[]): number[] {
  const f = evaluator(group, params);
  return xs.map((x) => f(x, group.outputActivation));
}

/** f(x), or with `activateOutput` false the output's pre-activation z(x), for one network's parameters. */
function evaluator(group: Group, params: ArrayLike<number>): (x: number, activateOutput: boolean) => number {
  const shape = shapeOf(group.hidden);
  const act = activationFn(group.activation);
  const layers = shape.widths.length - 1;
  const buffers = shape.widths.map((w) => new Float64Array(w));
  return (x, activateOutput) => {
    buffers[0][0] = x;
    for (let l = 0; l < layers; l++) {
      const nIn = shape.widths[l];
      const input = buffers[l];
      const out = buffers[l + 1];
      for (let o = 0; o < out.length; o++) {
        let z = params[shape.biasAt[l] + o];
        for (let k = 0; k < nIn; k++) z += params[shape.weightAt[l] + o * nIn + k] * input[k];
        out[o] = l < layers - 1 || activateOutput ? act.apply(z) : z;
      }
    }
    return buffers[layers][0];
  };
}

/**
 * Where each first-layer hidden unit's pre-activation w1ⱼx + b1ⱼ crosses zero (its kink, −b1ⱼ / w1ⱼ); null for
 * a unit with w1ⱼ = 0, which has none, and for a diverged one (w or b not finite).
 */
export function unitKinks(group: Group, params: ArrayLike<number>): (number | null)[] {
  const shape = shapeOf(group.hidden);
  return Array.from({ length: shape.widths[1] }, (_, j) => {
    const [w, b] = [params[shape.weightAt[0] + j], params[shape.biasAt[0] + j]];
    return w === 0 || !Number.isFinite(w) || !Number.isFinite(b) ? null : -b / w;
  });
}

/** The first layer's kinks, of the units that have one. */
function kinks(group: Group, params: ArrayLike<number>): number[] {
  return unitKinks(group, params).filter((x): x is number => x !== null);
}

/** A point in [from, to] where the fitted function bends: a hidden unit's kink, or the output activation's. */
export interface Bend {
  x: number;
  y: number;
  source: 'hidden' | 'output';
  /** f'(x+) - f'(x-): how sharply it bends there. */
  slopeChange: number;
}

/**
 * Where a piecewise-linear network's function bends inside [from, to]: the first layer's kinks, and the
 * zeros of the output's pre-activation where the output activation bends it. Smooth networks: none.
 */
export function bendsOf(group: Group, params: ArrayLike<number>, from = 0, to = 1): Bend[] {
  const slope = leakSlope(group.activation);
  if (slope === null || slope === 1) return [];
  const net = evaluator(group, params);
  const f = (x: number) => net(x, group.outputActivation);
  const h = 1e-7;
  const bend = (x: number, source: Bend['source']): Bend => ({
    x,
    y: f(x),
    source,
    slopeChange: (f(x + h) - f(x)) / h - (f(x) - f(x - h)) / h,
  });
  const hidden = kinks(group, params).filter((x) => x >= from && x <= to);
  const bends = hidden.map((x) => bend(x, 'hidden'));
  if (group.outputActivation) {
    // z is linear between the hidden kinks with one hidden layer; deeper, it is sampled finely: find its sign changes
    const z = (x: number) => net(x, false);
    const samples = group.hidden.length === 1 ? [] : Array.from({ length: 2049 }, (_, i) => from + ((to - from) * i) / 2048);
    const xs = [...new Set([from, to, ...hidden, ...samples])].sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i++) {
      let [lo, hi] = [xs[i], xs[i + 1]];
      if (Math.sign(z(lo)) * Math.sign(z(hi)) >= 0) continue;
      for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (Math.sign(z(mid)) === Math.sign(z(lo))) lo = mid;
        else hi = mid;
      }
      bends.push(bend((lo + hi) / 2, 'output'));
    }
  }
  return bends.filter((b) => Math.abs(b.slopeChange) > 1e-6).sort((a, b) => a.x - b.x); // a unit with no weight out bends nothing
}

/** One hidden unit of a 1 → H → 1 network, as the fit chart draws it under the output. */
export interface HiddenUnit {
  /** Its contribution to the output's pre-activation, w2ⱼ·act(w1ⱼx + b1ⱼ), at each x asked for. */
  ys: number[];
  /** Its weight out, w2ⱼ: how much the output hears of it. */
  weightOut: number;
  /** Where it bends (unitKinks), or null: no kink, or an activation that does not bend. */
  kink: number | null;
  /**
   * Active somewhere on [0, 1]. A ReLU or LeakyReLU unit is active where its pre-activation w1ⱼx + b1ⱼ is
   * above 0, on the slope-1 side of its kink (PyTorch puts 0 itself on the negative side); below it, a ReLU
   * unit passes nothing and a LeakyReLU one only the leak's share, and learns as slowly. The pre-activation
   * is linear in x, so its largest value on [0, 1] is at 0 or 1: live exactly when b1ⱼ > 0 or w1ⱼ + b1ⱼ > 0.
   * Activations with no inactive side (linear, tanh, sigmoid) are always live; a diverged unit never is.
   */
  live: boolean;
}

/**
 * Each hidden unit of a 1 → H → 1 network at each x, and the output's bias b2: the units' contributions
 * plus b2 are the output's pre-activation, which the output activation (where the group has one) turns
 * into the fitted function. Null for a network with more than one hidden layer.
 */
export function hiddenUnits(group: Group, params: ArrayLike<number>, xs: readonly number[]): { units: HiddenUnit[]; b2: number } | null {
  if (group.hidden.length !== 1) return null;
  const shape = shapeOf(group.hidden);
  const act = activationFn(group.activation);
  const slope = leakSlope(group.activation);
  const bends = slope !== null && slope !== 1;
  const kinks = unitKinks(group, params);
  const units = kinks.map((kink, j) => {
    const [w1, b1, w2] = [params[shape.weightAt[0] + j], params[shape.biasAt[0] + j], params[shape.weightAt[1] + j]];
    const finite = [w1, b1, w2].every(Number.isFinite);
    return {
      ys: xs.map((x) => w2 * act.apply(w1 * x + b1)),
      weightOut: w2,
      kink: bends ? kink : null,
      live: finite && (!bends || b1 > 0 || w1 + b1 > 0),
    };
  });
  return { units, b2: params[shape.biasAt[1]] };
}
