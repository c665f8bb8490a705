// PyTorch's initialisers for the MLP's parameters, drawn from the run's generators.
import { shapeOf } from '../../core/model/network.ts';
import type { Group } from '../../core/preset/preset.ts';
import type { TorchGenerator } from './rng.ts';

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
    case 'xavier-uniform':
      return Math.sqrt(6 / (fanIn + fanOut)); // gain 1
    case 'he-uniform':
      return Math.sqrt(3) * (Math.sqrt(2) / Math.sqrt(fanIn)); // kaiming_uniform_, nonlinearity='relu'
  }
}
