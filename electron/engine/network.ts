// An MLP 1 -> hidden... -> 1 with PyTorch's parameter layout and initialisers.
import type { Activation, Group } from './preset.ts';
import { activationFn } from './kernels/activation.ts';
import type { TorchGenerator } from './rng.ts';

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
    case 'leaky_relu': return act.negativeSlope;
    case 'relu': return 0;
    case 'linear': return 1;
    default: return null;
  }
}

/**
 * Draws the initial parameters as PyTorch constructs nn.Linear layers in order: each layer's weight
 * (row-major), then its bias. float32 values, as PyTorch stores them.
 */
export function initParams(group: Group, rng: TorchGenerator): Float32Array {
  const shape = shapeOf(group.hidden);
  const params = new Float32Array(shape.size);
  for (let l = 0; l + 1 < shape.widths.length; l++) {
    const fanIn = shape.widths[l];
    const fanOut = shape.widths[l + 1];
    const bound = weightBound(group.init, fanIn, fanOut);
    for (let k = 0; k < fanIn * fanOut; k++) params[shape.weightAt[l] + k] = rng.uniform(-bound, bound);
    if (group.init === 'torch-default') {
      const biasBound = 1 / Math.sqrt(fanIn);
      for (let k = 0; k < fanOut; k++) params[shape.biasAt[l] + k] = rng.uniform(-biasBound, biasBound);
    } // xavier / he: biases start at zero and draw nothing
  }
  return params;
}

function weightBound(init: Group['init'], fanIn: number, fanOut: number): number {
  switch (init) {
    case 'torch-default': {
      // kaiming_uniform_(a=sqrt(5)), computed in float64 exactly as torch.nn.init does
      const a = Math.sqrt(5);
      const gain = Math.sqrt(2 / (1 + a ** 2));
      return Math.sqrt(3) * (gain / Math.sqrt(fanIn));
    }
    case 'xavier-uniform': return Math.sqrt(6 / (fanIn + fanOut)); // gain 1
    case 'he-uniform': return Math.sqrt(3) * (Math.sqrt(2) / Math.sqrt(fanIn)); // kaiming_uniform_, nonlinearity='relu'
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
