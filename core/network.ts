// An MLP 1 -> hidden... -> 1 with PyTorch's parameter layout: its shape, its output, its kinks.
import { activationFn } from './activation.ts';
import type { Activation, Group } from './preset.ts';

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

/** The network's output at each x (for drawing the fitted function; training uses the kernels). */
export function predict(group: Group, params: ArrayLike<number>, xs: readonly number[]): number[] {
  const shape = shapeOf(group.hidden);
  const act = activationFn(group.activation);
  const layers = shape.widths.length - 1;
  return xs.map((x) => {
    let values = [x];
    for (let l = 0; l < layers; l++) {
      const nIn = shape.widths[l];
      const out: number[] = [];
      for (let o = 0; o < shape.widths[l + 1]; o++) {
        let z = params[shape.biasAt[l] + o];
        for (let k = 0; k < nIn; k++) z += params[shape.weightAt[l] + o * nIn + k] * values[k];
        out.push(l < layers - 1 || group.outputActivation ? act.apply(z) : z);
      }
      values = out;
    }
    return values[0];
  });
}

/** Where each first-layer hidden unit's pre-activation crosses zero (its kink), for units that have one. */
export function kinks(group: Group, params: ArrayLike<number>): number[] {
  const shape = shapeOf(group.hidden);
  const out: number[] = [];
  for (let j = 0; j < shape.widths[1]; j++) {
    const w = params[shape.weightAt[0] + j];
    if (w !== 0) out.push(-params[shape.biasAt[0] + j] / w);
  }
  return out;
}
