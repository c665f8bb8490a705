// PyTorch's fixtures replayed on the CPU kernels, fused and direct (pytorch-replay.ts says what is checked).
import { trainModel } from '../electron/engine/train.ts';
import { describeReplays, hooks } from './pytorch-replay.ts';

for (const kernel of ['fused', 'direct'] as const) {
  describeReplays(kernel, (exp, params, rng) => trainModel(exp, exp.models[0], params, rng, kernel, hooks, false));
}
